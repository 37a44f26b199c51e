package io.instabeam.pipeline.state;

import io.instabeam.pipeline.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease next to the state file ({@code STATE.lock}) so that two runs of one job never interleave their state: a
 * run takes it before reading the state and gives it back when it ends. A lease older than its expiry (a run that
 * was killed) is taken over with a warning.
 *
 * <p>On a local disk the lease is created with {@code CREATE_NEW}, so of two runs starting at the same instant exactly
 * one gets it. Object stores offer no exclusive create through Beam's {@code FileSystems}; there the lease is written
 * and read back, which catches every overlap except two runs starting within the same second.
 */
public final class StateLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateLock.class);
  static final Duration LEASE = Duration.ofHours(24);

  private final ResourceId lock;
  private final String runId;

  private StateLock(ResourceId lock, String runId) {
    this.lock = lock;
    this.runId = runId;
  }

  /** Takes the lease for {@code statePath}, or fails with a message saying who holds it. */
  public static StateLock acquire(String statePath, String runId, Instant now) {
    String path = statePath + ".lock";
    ResourceId lock = FileSystems.matchNewResource(path, false);
    String lease = "run " + runId + " started " + now + " expires " + now.plus(LEASE) + "\n";
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        if (create(lock, lease)) {
          return new StateLock(lock, runId);
        }
        String holder = read(lock);
        if (holder == null) {
          continue; // released between our create and our read: try again
        }
        Instant expires = expiry(holder);
        if (expires == null || now.isBefore(expires)) {
          throw new ConfigException("another run holds the state lock " + path + " (" + holder.strip() + "); "
              + "runs sharing a --state must not overlap: wait for it to finish, or delete the lock file if no run "
              + "is active");
        }
        LOG.warn("Taking over the expired state lock {} ({})", path, holder.strip());
        FileSystems.delete(List.of(lock), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      throw new ConfigException("could not take the state lock " + path + ": another run keeps taking it");
    } catch (IOException e) {
      throw ConfigException.of("state", statePath, "cannot create the lock " + path + " (" + e.getMessage()
          + "); check that the state's folder exists and is writable");
    }
  }

  /** Creates the lease if there is none; false if one exists. */
  private static boolean create(ResourceId lock, String lease) throws IOException {
    byte[] bytes = lease.getBytes(StandardCharsets.UTF_8);
    if (lock.getScheme().equals("file")) {
      Path file = Paths.get(lock.toString());
      try {
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    if (read(lock) != null) {
      return false;
    }
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(lock, MimeTypes.TEXT))) {
      out.write(bytes);
    }
    return lease.equals(read(lock)); // a run that wrote just after us wins; we then see its lease and stop
  }

  /** The lease's text, or null if there is none. */
  private static String read(ResourceId lock) throws IOException {
    MatchResult match = FileSystems.match(lock.toString(), EmptyMatchTreatment.ALLOW);
    if (match.metadata().isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(lock))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return null;
    }
  }

  private static Instant expiry(String holder) {
    int at = holder.indexOf(" expires ");
    try {
      return at < 0 ? null : Instant.parse(holder.substring(at + 9).strip());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Gives the lease back, unless another run took it over meanwhile (ours had expired). */
  @Override
  public void close() {
    try {
      String holder = read(lock);
      if (holder != null && holder.startsWith("run " + runId + " ")) {
        FileSystems.delete(List.of(lock), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    } catch (IOException e) {
      LOG.warn("Could not release the state lock {}", lock, e);
    }
  }
}
