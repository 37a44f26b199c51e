package io.instabeam.pipeline.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.pipeline.ConfigException;
import io.instabeam.pipeline.lock.RunLock.Guarded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock that keeps two runs off one state file or output, and lets a later run take over from a
 * dead one.
 */
class RunLockTest {
  static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @TempDir Path dir;

  String state() {
    return dir.resolve("state.json").toString();
  }

  Path lockFile() {
    return Path.of(state() + ".lock");
  }

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndMayTakeItOnceReleased() {
    try (RunLock first = RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS)) {
      ConfigException refused =
          assertThrows(
              ConfigException.class,
              () -> RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "another run holds the state lock " + lockFile() + " (run run-a on " + "host "),
          refused.getMessage());
      assertTrue(
          refused.getMessage().contains("pid " + ProcessHandle.current().pid()),
          refused.getMessage());
      assertTrue(
          refused.getMessage().contains("runs sharing a --state must not overlap"),
          refused.getMessage());
    }
    assertFalse(Files.exists(lockFile()), "released");
    RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS).close();
  }

  @Test
  void theLockNamesItsOwnerAndLease() throws IOException {
    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS)) {
      LockOwner owner = LockOwner.parse(Files.readString(lockFile()));
      assertNotNull(owner, Files.readString(lockFile()));
      assertEquals("run-a", owner.runId());
      assertEquals(ProcessHandle.current().pid(), owner.pid());
      assertEquals(RunLock.LEASE, Duration.between(owner.started(), owner.expires()));
      assertTrue(lock.takeover().isEmpty());
    }
  }

  @Test
  void aLockWhoseProcessIsGoneIsTakenOverAtOnceThoughItsLeaseRunsOn() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Instant started = Instant.now();
    LockOwner dead = LockOwner.thisProcess("run-dead", started, started.plus(Duration.ofHours(1)));
    Files.writeString(
        lockFile(),
        dead.line().replace("pid " + ProcessHandle.current().pid(), "pid " + gone.pid()));

    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS)) {
      RunLock.Takeover takeover = lock.takeover().orElseThrow();
      assertEquals("run-dead", takeover.deadRunId());
      assertTrue(
          takeover
              .notice()
              .startsWith("took over the state lock " + lockFile() + " from run run-dead"),
          takeover.notice());
      assertTrue(
          takeover.notice().contains("its process (pid " + gone.pid() + " on "), takeover.notice());
      assertEquals("run-b", LockOwner.parse(Files.readString(lockFile())).runId());
    }
  }

  @Test
  void aLockOfAnEarlierProcessThatHadTheSamePidIsTakenOver() throws IOException {
    // As in a container, where every run is pid 1: the pid is alive, but it is this process,
    // started after the lock.
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
    Instant started = jvmStart.minus(Duration.ofHours(1));
    Files.writeString(
        lockFile(),
        LockOwner.thisProcess("run-earlier", started, Instant.now().plus(Duration.ofHours(1)))
            .line());

    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS)) {
      assertEquals("run-earlier", lock.takeover().orElseThrow().deadRunId());
    }
  }

  @Test
  void anExpiredLeaseOfARunOnAnotherHostIsTakenOver() throws IOException {
    Instant started = Instant.now().minus(Duration.ofMinutes(10));
    Files.writeString(
        lockFile(),
        new LockOwner("run-elsewhere", "other-host", 1, started, started.plus(RunLock.LEASE))
            .line());

    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS)) {
      RunLock.Takeover takeover = lock.takeover().orElseThrow();
      assertEquals("run-elsewhere", takeover.deadRunId());
      assertTrue(
          takeover.notice().contains("its lease expired at " + started.plus(RunLock.LEASE)),
          takeover.notice());
    }
  }

  @Test
  void aLiveLeaseOfARunOnAnotherHostIsRefused() throws IOException {
    Instant started = Instant.now();
    String line =
        new LockOwner("run-elsewhere", "other-host", 1, started, started.plus(RunLock.LEASE))
            .line();
    Files.writeString(lockFile(), line);

    ConfigException refused =
        assertThrows(
            ConfigException.class, () -> RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS));
    assertTrue(
        refused.getMessage().contains("(run run-elsewhere on host other-host, pid 1"),
        refused.getMessage());
    assertEquals(line, Files.readString(lockFile()), "left as it was");
  }

  @Test
  void anEmptyLockOlderThanTheLeaseIsTakenOver() throws IOException {
    Files.writeString(lockFile(), "");
    Files.setLastModifiedTime(
        lockFile(), FileTime.from(Instant.now().minus(RunLock.LEASE).minusSeconds(5)));

    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS)) {
      RunLock.Takeover takeover = lock.takeover().orElseThrow();
      assertEquals(null, takeover.deadRunId(), "nobody's run to clean up");
      assertTrue(
          takeover.notice().contains("from an empty or unreadable lock: it is empty or unreadable"),
          takeover.notice());
    }
  }

  @Test
  void anUnreadableLockOlderThanTheLeaseIsTakenOver() throws IOException {
    Files.writeString(lockFile(), "run run-half host");
    Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofHours(3))));

    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS)) {
      assertTrue(lock.takeover().isPresent());
    }
  }

  @Test
  void aFreshEmptyLockIsRefusedItsOwnerMayBeWritingIt() throws IOException {
    Files.writeString(lockFile(), "");

    ConfigException refused =
        assertThrows(
            ConfigException.class, () -> RunLock.acquire(Guarded.STATE, state(), "run-b", OPTIONS));
    assertTrue(
        refused.getMessage().contains("(empty or unreadable, written at "), refused.getMessage());
  }

  @Test
  void theOutputLockIsInTheOutputFolder() throws IOException {
    Path output = Files.createDirectories(dir.resolve("out"));
    try (RunLock lock = RunLock.acquire(Guarded.OUTPUT, output.toString(), "run-a", OPTIONS)) {
      assertTrue(Files.exists(output.resolve(".instabeam.lock")));
      ConfigException refused =
          assertThrows(
              ConfigException.class,
              () -> RunLock.acquire(Guarded.OUTPUT, output + "/", "run-b", OPTIONS));
      assertTrue(
          refused
              .getMessage()
              .startsWith("another run holds the output lock " + output.resolve(".instabeam.lock")),
          refused.getMessage());
      assertTrue(
          refused.getMessage().contains("runs sharing a --output must not overlap"),
          refused.getMessage());
    }
    assertFalse(Files.exists(output.resolve(".instabeam.lock")));
  }

  @Test
  void theHeartbeatMovesTheLeaseForwardWhileTheRunLives() throws Exception {
    try (RunLock lock =
        RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS, Duration.ofSeconds(3))) {
      Instant first = LockOwner.parse(Files.readString(lockFile())).expires();
      Instant renewed = first;
      for (int i = 0; i < 200 && renewed.equals(first); i++) {
        Thread.sleep(50);
        renewed = LockOwner.parse(Files.readString(lockFile())).expires();
      }
      assertTrue(renewed.isAfter(first), "renewed: " + first + " -> " + renewed);
    }
  }

  @Test
  void aRunWhoseLockWasTakenOverIsStoppedAndLeavesTheOtherRunsLock() throws Exception {
    RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS, Duration.ofSeconds(3));
    CompletableFuture<String> lost = new CompletableFuture<>();
    lock.onLost(lost::complete);
    Instant now = Instant.now();
    String other = new LockOwner("run-other", "other-host", 1, now, now.plus(RunLock.LEASE)).line();
    Files.writeString(lockFile(), other);

    String why = lost.get(30, TimeUnit.SECONDS);
    assertTrue(
        why.startsWith(
            "lost the state lock " + lockFile() + " to run run-other on host other-host"),
        why);
    lock.close();
    assertEquals(
        other,
        Files.readString(lockFile()),
        "the heartbeat and the release left the other run's lock");
  }

  @Test
  void releasingDoesNotRemoveALockAnotherRunTookOver() throws IOException {
    RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS);
    Instant now = Instant.now();
    String other = new LockOwner("run-other", "other-host", 1, now, now.plus(RunLock.LEASE)).line();
    Files.writeString(lockFile(), other);
    lock.close();
    assertEquals(other, Files.readString(lockFile()));
  }

  @Test
  void releaseAllGivesBackEveryHeldLock() {
    RunLock.acquire(Guarded.STATE, state(), "run-a", OPTIONS);
    RunLock.acquire(Guarded.OUTPUT, dir.toString(), "run-a", OPTIONS);
    assertEquals(
        java.util.List.of(dir.resolve(".instabeam.lock").toString(), lockFile().toString()),
        RunLock.releaseAll());
    assertFalse(Files.exists(lockFile()));
    assertFalse(Files.exists(dir.resolve(".instabeam.lock")));
  }

  @Test
  void aStateFolderThatDoesNotExistIsAClearConfigError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                RunLock.acquire(
                    Guarded.STATE, dir.resolve("missing/state.json").toString(), "run-a", OPTIONS));
    assertTrue(e.getMessage().contains("folder exists"), e.getMessage());
  }

  @Test
  void aLockLineWithAPathAsItsRunIdIsUnreadableSoNoPathOutsideStagingIsEverCleaned() {
    Instant now = Instant.now();
    assertEquals(
        null, LockOwner.parse("run ../../etc host h pid 1 started " + now + " expires " + now));
    assertEquals(null, LockOwner.parse("run a/b host h pid 1 started " + now + " expires " + now));
    assertNotEquals(
        null, LockOwner.parse("run run-1 host h pid 1 started " + now + " expires " + now));
  }
}
