package io.instabeam.pipeline.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.pipeline.ConfigException;
import io.instabeam.pipeline.GcsEmulator;
import io.instabeam.pipeline.Main;
import io.instabeam.pipeline.lock.RunLock.Guarded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lock as a Cloud Storage object, against a real emulator (fake-gcs-server): every change
 * carries a generation precondition, so runs acting at the same moment never overwrite each other's
 * lock.
 */
class GcsRunLockTest {
  GcsEmulator gcs;
  String bucket;
  PipelineOptions options;

  @BeforeEach
  void connect() {
    gcs = GcsEmulator.require();
    bucket = gcs.newBucket("instabeam-lock");
    // through the job's parser: it registers the options interfaces its arguments name
    // (OptionsRegistry)
    options = Main.parse(gcs.jobOptions().toArray(String[]::new));
  }

  String state() {
    return "gs://" + bucket + "/state.json";
  }

  String lockText() {
    return gcs.get(bucket, "state.json.lock");
  }

  @Test
  void theLockObjectIsCreatedOnlyIfAbsentAndDeletedOnRelease() {
    try (RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-a", options)) {
      assertEquals("run-a", LockOwner.parse(lockText()).runId());
      ConfigException refused =
          assertThrows(
              ConfigException.class,
              () -> RunLock.acquire(Guarded.STATE, state(), "run-b", options));
      assertTrue(
          refused
              .getMessage()
              .startsWith("another run holds the state lock " + state() + ".lock (run run-a "),
          refused.getMessage());
    }
    assertNull(lockText(), "released");
  }

  @Test
  void ofRunsTakingOverOneExpiredLockAtOnceExactlyOneWins() throws Exception {
    Instant past = Instant.now().minus(Duration.ofMinutes(10));
    gcs.put(
        bucket,
        "state.json.lock",
        new LockOwner("run-dead", "other-host", 1, past, past.plusSeconds(60)).line());
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<RunLock>> attempts = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      String runId = "run-" + i;
      attempts.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  return RunLock.acquire(Guarded.STATE, state(), runId, options);
                } catch (ConfigException refused) {
                  return null;
                }
              }));
    }
    go.countDown();
    List<RunLock> winners = new ArrayList<>();
    for (Future<RunLock> attempt : attempts) {
      RunLock lock = attempt.get(60, TimeUnit.SECONDS);
      if (lock != null) {
        winners.add(lock);
      }
    }
    pool.shutdown();

    assertEquals(1, winners.size(), "exactly one run holds the lock");
    RunLock winner = winners.get(0);
    assertEquals("run-dead", winner.takeover().orElseThrow().deadRunId());
    String holder = LockOwner.parse(lockText()).runId();
    assertTrue(holder.matches("run-[0-7]"), "one of the racing runs holds it: " + holder);
    assertTrue(
        winner.takeover().get().notice().contains("its lease expired"),
        winner.takeover().get().notice());
    winner.close();
    assertNull(lockText());
  }

  @Test
  void theHeartbeatRenewsTheLeaseAndNeverOverwritesALockAnotherRunWrote() throws Exception {
    RunLock lock = RunLock.acquire(Guarded.STATE, state(), "run-a", options, Duration.ofSeconds(3));
    CompletableFuture<String> lost = new CompletableFuture<>();
    lock.onLost(lost::complete);
    Instant first = LockOwner.parse(lockText()).expires();
    Instant renewed = first;
    for (int i = 0; i < 200 && renewed.equals(first); i++) {
      Thread.sleep(50);
      renewed = LockOwner.parse(lockText()).expires();
    }
    assertTrue(renewed.isAfter(first), "renewed: " + first + " -> " + renewed);

    Instant now = Instant.now();
    String other = new LockOwner("run-other", "other-host", 1, now, now.plus(RunLock.LEASE)).line();
    gcs.put(bucket, "state.json.lock", other); // a new generation, written by someone else

    String why = lost.get(30, TimeUnit.SECONDS);
    assertTrue(why.startsWith("lost the state lock " + state() + ".lock to run run-other"), why);
    lock.close();
    assertEquals(
        other, lockText(), "neither the heartbeat nor the release touched the other run's lock");
  }
}
