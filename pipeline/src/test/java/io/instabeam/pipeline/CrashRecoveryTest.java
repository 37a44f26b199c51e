package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lock through {@link Main}: a run that died (killed, stopped, out of memory) never wedges
 * the schedule, and two live runs never share an output or a state file.
 */
class CrashRecoveryTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "token-crash";

  @TempDir Path dir;
  GraphApiEmulator emulator;

  Path output() {
    return dir.resolve("out");
  }

  Path state() {
    return dir.resolve("state.json");
  }

  Path outputLock() {
    return output().resolve(".instabeam.lock");
  }

  Path stateLock() {
    return Path.of(state() + ".lock");
  }

  @AfterEach
  void stopEmulator() {
    if (emulator != null) {
      emulator.close();
    }
  }

  void startEmulator(Duration latency) {
    emulator =
        GraphApiEmulator.builder()
            .seed(5)
            .accessToken(TOKEN)
            .accounts(1)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(3)
            .storiesPerAccount(0)
            .now(NOW)
            .latency(latency)
            .build()
            .start();
  }

  @Test
  void twoRunsOnOneOutputWithoutAStateFileNeverBothPublish() throws Exception {
    startEmulator(Duration.ofMillis(700));
    CompletableFuture<JobHarness.Run> first =
        CompletableFuture.supplyAsync(() -> JobHarness.run(args(false)));
    for (int i = 0; i < 400 && !Files.exists(outputLock()) && !first.isDone(); i++) {
      Thread.sleep(25);
    }
    assertTrue(Files.exists(outputLock()), "the first run holds the output lock");

    JobHarness.Run second = JobHarness.run(args(false));
    assertEquals(Main.BAD_CONFIG, second.exitCode(), second.out());
    assertTrue(
        second
            .err()
            .startsWith("instabeam: another run holds the output lock " + outputLock() + " (run "),
        second.err());
    assertTrue(second.err().contains("runs sharing a --output must not overlap"), second.err());

    JobHarness.Run done = first.get();
    assertEquals(Main.OK, done.exitCode(), done.err());
    assertFalse(Files.exists(outputLock()), "released at the end");
    List<String> keys =
        JobHarness.records(output().resolve("user_insights")).stream()
            .map(r -> r.path("business_account_id").asText() + " " + r.path("date").asText())
            .toList();
    assertEquals(new TreeSet<>(keys).size(), keys.size(), "one run published, every key once");
  }

  @Test
  void aKilledRunsLocksAreTakenOverWhatDeadRunsLeftIsRemovedAndTheNextRunSucceeds()
      throws Exception {
    startEmulator(Duration.ZERO);
    long deadPid = deadPid();
    Files.createDirectories(output());
    String deadLock =
        lockLine(
            "run-20260310T115900-dead",
            InetAddress.getLocalHost().getHostName(),
            deadPid,
            Instant.now().plus(Duration.ofHours(1)));
    Files.writeString(outputLock(), deadLock);
    Files.writeString(stateLock(), deadLock);
    Path deadStaging =
        Files.createDirectories(output().resolve(".staging/run-20260310T115900-dead/parts/media"));
    Files.writeString(
        deadStaging.resolve("run-20260310T115900-dead-00000.jsonl"), "{\"id\":\"half-written\"}\n");
    Path otherStaging =
        Files.createDirectories(output().resolve(".staging/run-20260310T115800-other/media"));
    Files.writeString(otherStaging.resolve("x.jsonl"), "{}\n");
    Path deadState = Files.writeString(Path.of(state() + ".run-20260310T115900-dead.tmp"), "[]");

    JobHarness.Run run = JobHarness.run(args(true));

    assertEquals(Main.OK, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .contains(
                "instabeam: took over the output lock "
                    + outputLock()
                    + " from run run-20260310T115900-dead (host "),
        run.out());
    assertTrue(
        run.out()
            .contains(
                "instabeam: took over the state lock "
                    + stateLock()
                    + " from run run-20260310T115900-dead"),
        run.out());
    assertTrue(run.out().contains("its process (pid " + deadPid + " on "), run.out());
    // Holding the output lock, the run knows no other is using the output: every staging left there
    // is a dead run's.
    assertFalse(
        Files.exists(output().resolve(".staging")),
        "the dead runs' staging is gone, and this run's own");
    assertFalse(Files.exists(deadState), "the dead run's temporary state");
    assertFalse(Files.exists(outputLock()) || Files.exists(stateLock()), "both released");
    assertTrue(Files.exists(state()));
    assertTrue(
        JobHarness.records(output().resolve("media")).stream()
            .map(ObjectNode::toString)
            .noneMatch(r -> r.contains("half-written")));
  }

  @Test
  void aLiveRunOnAnotherHostIsRefusedWithItsNameAndLease() throws Exception {
    startEmulator(Duration.ZERO);
    Files.createDirectories(output());
    Instant expires = Instant.now().plus(Duration.ofMinutes(2));
    Files.writeString(stateLock(), lockLine("run-20260310T115900-live", "worker-7", 4242, expires));

    JobHarness.Run run = JobHarness.run(args(true));

    assertEquals(Main.BAD_CONFIG, run.exitCode(), run.out());
    assertEquals(
        "instabeam: another run holds the state lock "
            + stateLock()
            + " (run run-20260310T115900-live on "
            + "host worker-7, pid 4242, started 2026-03-10T11:59:00Z, lease until "
            + expires
            + "); runs sharing a "
            + "--state must not overlap: wait for it to finish (a run that died is taken over as soon as its process is "
            + "gone or its 2-minute lease ends)\n",
        run.err());
    assertFalse(Files.exists(outputLock()), "the output lock taken first is given back");
    assertEquals(0, emulator.stats().calls("user/insights"), "nothing was read");
  }

  @Test
  void sigtermReleasesTheLocksAndEndsTheRunNonZero() throws Exception {
    startEmulator(
        Duration.ofSeconds(1)); // a run of many seconds: the signal surely comes in the middle
    ChildJob job = ChildJob.start(dir.resolve("logs"), args(true));
    for (int i = 0; i < 1200 && !Files.exists(stateLock()) && job.isAlive(); i++) {
      Thread.sleep(25);
    }
    assertTrue(
        Files.exists(outputLock()) && Files.exists(stateLock()),
        "the run holds its locks: " + job.err());

    job.process.destroy(); // SIGTERM
    int exit = job.waitFor(60);

    assertNotEquals(0, exit, job.out());
    assertFalse(Files.exists(stateLock()), "state lock released: " + job.err());
    assertFalse(Files.exists(outputLock()), "output lock released: " + job.err());
    assertTrue(
        job.err()
            .contains(
                "instabeam: the run was stopped before it ended; released "
                    + stateLock()
                    + ", "
                    + outputLock()),
        job.err());
    assertFalse(Files.exists(state()), "the stopped run wrote no state");
  }

  @Test
  void anErrorEndsTheProcessThoughARunnerThreadLingersAndReleasesTheLocks() {
    startEmulator(Duration.ZERO);
    List<String> args = new ArrayList<>(List.of(args(true)));
    args.add("--runner=" + ErrorRunner.class.getName());
    ChildJob job = ChildJob.start(dir.resolve("logs"), args.toArray(String[]::new));

    int exit =
        job.waitFor(
            120); // without the top-level handling the lingering thread keeps the JVM up for good

    assertEquals(Main.FAILED, exit, job.err());
    assertTrue(
        job.err().contains("instabeam: run failed: OutOfMemoryError: " + ErrorRunner.MESSAGE),
        job.err());
    assertFalse(
        Files.exists(stateLock()) || Files.exists(outputLock()), "locks released: " + job.err());
  }

  // ---------------------------------------------------------------------------------------------------------------

  private String[] args(boolean withState) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=" + TOKEN,
                "--now=" + NOW,
                "--output=" + output(),
                "--streams=users,media,user_insights",
                "--startDate=2026-03-01T00:00:00Z"));
    if (withState) {
      args.add("--state=" + state());
    }
    return args.toArray(String[]::new);
  }

  /**
   * A lock as a run writes it (the format is the operator's view of the lock: asserted here on
   * purpose).
   */
  static String lockLine(String runId, String host, long pid, Instant expires) {
    Instant started = Instant.parse("2026-03-10T11:59:00Z");
    return "run "
        + runId
        + " host "
        + host
        + " pid "
        + pid
        + " started "
        + started
        + " expires "
        + expires
        + "\n";
  }

  /** The pid of a process that has ended. */
  static long deadPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}
