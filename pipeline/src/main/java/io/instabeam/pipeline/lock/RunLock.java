package io.instabeam.pipeline.lock;

import io.instabeam.pipeline.ConfigException;
import io.instabeam.pipeline.lock.LockStore.Stored;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's lock on what two runs must not use at once: the state file ({@code STATE.lock}) and the
 * files sink's output ({@code OUTPUT/.instabeam.lock}). The lock names its owner (host, pid, run,
 * start) and a short lease that a heartbeat renews every third of the lease while the run lives. A
 * later run takes over a lock whose owner is gone (same host, the pid is not alive) or whose lease
 * ran out, or one that is empty or unreadable and older than a lease (a run that died while
 * creating it); it refuses while the owner may be alive.
 *
 * <p>The lock is released when the run ends, and by a JVM shutdown hook when the process is stopped
 * (SIGTERM) or ends on an error; a run killed outright ({@code kill -9}, an out-of-memory exit)
 * leaves it for the next run to take over. A run that finds its lock taken over (it was stalled for
 * longer than its lease) stops at once, so that two runs never both publish.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

  /**
   * Long enough to ride out a slow write to the store, short enough that a dead run on another host
   * costs little.
   */
  public static final Duration LEASE = Duration.ofMinutes(2);

  /** The locks this process holds, the latest first: what the shutdown hook releases. */
  private static final Deque<RunLock> HELD = new ConcurrentLinkedDeque<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RunLock::releaseOnExit, "instabeam-release-locks"));
  }

  /**
   * What a lock guards: its name in messages, the option that names the guarded path, and where the
   * lock is.
   */
  public enum Guarded {
    STATE("state lock", "state") {
      @Override
      String lockPath(String statePath) {
        return statePath + ".lock";
      }
    },
    OUTPUT("output lock", "output") {
      @Override
      String lockPath(String output) {
        return (output.endsWith("/") ? output : output + "/") + ".instabeam.lock";
      }
    };

    private final String noun;
    private final String option;

    Guarded(String noun, String option) {
      this.noun = noun;
      this.option = option;
    }

    abstract String lockPath(String guardedPath);
  }

  /**
   * A lock taken over from a run that died: its run id (null if the lock was unreadable) and the
   * line to print.
   */
  public record Takeover(String deadRunId, String notice) {}

  private final Guarded guarded;
  private final LockStore store;
  private final Duration lease;
  private final Takeover takeover;
  private final ScheduledExecutorService heartbeat;
  private volatile Consumer<String> onLost = RunLock::stopTheProcess;
  // Written by the heartbeat and by close, under this lock's monitor: a renewal never races a
  // release.
  private LockOwner owner;
  private Stored held;
  private boolean released;

  private RunLock(
      Guarded guarded,
      LockStore store,
      Duration lease,
      LockOwner owner,
      Stored held,
      Takeover takeover) {
    this.guarded = guarded;
    this.store = store;
    this.lease = lease;
    this.owner = owner;
    this.held = held;
    this.takeover = takeover;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "instabeam-lock-heartbeat");
              thread.setDaemon(true); // it must never keep the JVM alive
              return thread;
            });
  }

  /**
   * Takes the lock on {@code guardedPath} (the state file, or the output folder) for run {@code
   * runId}, taking it over from a run that died; fails with a message saying who holds it while its
   * owner may be alive.
   */
  public static RunLock acquire(
      Guarded guarded, String guardedPath, String runId, PipelineOptions options) {
    return acquire(guarded, guardedPath, runId, options, LEASE);
  }

  static RunLock acquire(
      Guarded guarded, String guardedPath, String runId, PipelineOptions options, Duration lease) {
    String path = guarded.lockPath(guardedPath);
    LockStore store = store(guarded, guardedPath, path, options);
    Instant now = Instant.now();
    LockOwner mine = LockOwner.thisProcess(runId, now, now.plus(lease));
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        Stored created = store.create(mine.line());
        if (created != null) {
          return held(guarded, store, lease, mine, created, null);
        }
        Stored current = store.read();
        if (current == null) {
          continue; // released between our create and our read: try again
        }
        LockOwner holder = LockOwner.parse(current.text());
        if (holder != null && holder.runId().equals(runId)) {
          return held(
              guarded, store, lease, holder, current,
              null); // our create succeeded, its answer was lost
        }
        String gone = holder == null ? unreadableAndOld(current, now, lease) : holder.whyGone(now);
        if (gone == null) {
          throw refused(guarded, path, holder, current, lease);
        }
        Stored taken = store.replace(current, mine.line());
        if (taken != null) {
          String whose =
              holder == null
                  ? "an empty or unreadable lock"
                  : "run "
                      + holder.runId()
                      + " (host "
                      + holder.host()
                      + ", pid "
                      + holder.pid()
                      + ", started "
                      + holder.started()
                      + ")";
          Takeover takeover =
              new Takeover(
                  holder == null ? null : holder.runId(),
                  "took over the " + guarded.noun + " " + path + " from " + whose + ": " + gone);
          LOG.warn(takeover.notice());
          return held(guarded, store, lease, mine, taken, takeover);
        }
        // Changed since we read it (renewed, or another run took it over first): judge it again.
      }
      throw new ConfigException(
          "could not take the "
              + guarded.noun
              + " "
              + path
              + ": other runs keep changing it; "
              + "runs sharing a --"
              + guarded.option
              + " must not overlap");
    } catch (IOException e) {
      throw ConfigException.of(
          guarded.option,
          guardedPath,
          "cannot create the lock "
              + path
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); check that the "
              + (guarded == Guarded.STATE ? "state's folder" : "output")
              + " exists and is writable");
    }
  }

  private static LockStore store(
      Guarded guarded, String guardedPath, String path, PipelineOptions options) {
    if (path.startsWith("gs://")) {
      return new GcsLockStore(options.as(GcsOptions.class), path);
    }
    if (!path.matches("[a-zA-Z][-a-zA-Z0-9+.]*://.*")) {
      return new LocalLockStore(Paths.get(path));
    }
    if (path.startsWith("file://")) {
      return new LocalLockStore(Path.of(URI.create(path)));
    }
    throw ConfigException.of(guarded.option, guardedPath, "its lock needs a local path or gs://");
  }

  private static RunLock held(
      Guarded guarded,
      LockStore store,
      Duration lease,
      LockOwner owner,
      Stored held,
      Takeover takeover) {
    RunLock lock = new RunLock(guarded, store, lease, owner, held, takeover);
    HELD.addFirst(lock);
    long every = Math.max(1, lease.toMillis() / 3);
    lock.heartbeat.scheduleWithFixedDelay(lock::renew, every, every, TimeUnit.MILLISECONDS);
    return lock;
  }

  /**
   * An empty or unreadable lock (a run died between creating and writing it): gone once older than
   * a lease.
   */
  private static String unreadableAndOld(Stored lock, Instant now, Duration lease) {
    Instant stale = lock.modified().plus(lease);
    return now.isAfter(stale)
        ? "it is empty or unreadable and was last written at "
            + lock.modified()
            + ", longer ago than the "
            + describe(lease)
            + " lease"
        : null;
  }

  private static ConfigException refused(
      Guarded guarded, String path, LockOwner holder, Stored lock, Duration lease) {
    String who =
        holder != null
            ? holder.describe()
            : "empty or unreadable, written at "
                + lock.modified()
                + "; taken over once older than the "
                + describe(lease)
                + " lease";
    return new ConfigException(
        "another run holds the "
            + guarded.noun
            + " "
            + path
            + " ("
            + who
            + "); runs sharing "
            + "a --"
            + guarded.option
            + " must not overlap: wait for it to finish (a run that died is taken over as soon "
            + "as its process is gone or its "
            + describe(lease)
            + " lease ends)");
  }

  private static String describe(Duration lease) {
    return lease.toSeconds() % 60 == 0
        ? lease.toMinutes() + "-minute"
        : lease.toSeconds() + "-second";
  }

  /** The takeover this lock began with, if it was taken from a run that died. */
  public Optional<Takeover> takeover() {
    return Optional.ofNullable(takeover);
  }

  /**
   * Moves the lease forward; a lock that is no longer ours was taken over, and this run must stop.
   */
  private synchronized void renew() {
    if (released) {
      return;
    }
    LockOwner renewed = owner.renewedUntil(Instant.now().plus(lease));
    try {
      Stored written = store.replace(held, renewed.line());
      if (written != null) {
        owner = renewed;
        held = written;
        return;
      }
      Stored now = store.read();
      LockOwner holder = now == null ? null : LockOwner.parse(now.text());
      stopHeartbeat();
      onLost.accept(
          "lost the "
              + guarded.noun
              + " "
              + store.path()
              + " to "
              + (holder == null ? "nobody (it is gone)" : holder.describe())
              + ": this run was stalled for longer than its lease and was judged dead; stopping "
              + "at once so that two runs never both publish");
    } catch (IOException | RuntimeException e) {
      // The store is unreachable for now: the next beat tries again; the lease covers two missed
      // beats.
      LOG.warn("Could not renew the {} {}: {}", guarded.noun, store.path(), e.toString());
    }
  }

  /**
   * The reaction to a lost lock; by default the process ends at once, without releasing what is not
   * its own.
   */
  void onLost(Consumer<String> reaction) {
    this.onLost = reaction;
  }

  private static void stopTheProcess(String why) {
    System.err.println("instabeam: " + why);
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }

  private void stopHeartbeat() {
    released = true;
    HELD.remove(this);
    heartbeat.shutdown();
  }

  /** Gives the lock back, unless another run took it over meanwhile. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    stopHeartbeat();
    try {
      if (!store.delete(held)) {
        LOG.warn(
            "The {} {} was no longer this run's when it ended; left as it is",
            guarded.noun,
            store.path());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "Could not release the {} {}; the next run takes it over once the lease ends",
          guarded.noun,
          store.path(),
          e);
    }
  }

  /** Releases every lock this process holds, the latest first; returns their paths. */
  public static List<String> releaseAll() {
    List<String> released = new ArrayList<>();
    for (RunLock lock = HELD.peekFirst(); lock != null; lock = HELD.peekFirst()) {
      lock.close();
      HELD.remove(lock);
      released.add(lock.store.path());
    }
    return released;
  }

  /**
   * The shutdown hook: a run stopped by a signal or ended by an error gives its locks back on the
   * way out.
   */
  private static void releaseOnExit() {
    List<String> released = releaseAll();
    if (!released.isEmpty()) {
      System.err.println(
          "instabeam: the run was stopped before it ended; released "
              + String.join(", ", released));
      System.err.flush();
    }
  }
}
