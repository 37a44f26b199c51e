package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job killed at random points, many times: each time it runs as a process of its own and gets
 * {@code kill -9} or SIGTERM in one of its phases (starting, holding its locks, staging,
 * publishing, between publishing and writing the state); then the next run, not killed, must
 * succeed, and the output and state must be exactly those of a run that was never interrupted. The
 * points are drawn from a seed that the test prints and names in every assertion message (replay
 * one with {@code -Dinstabeam.faultSeed=N}, see {@link FaultSeed}).
 */
class CrashTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "token-crash-test";
  static final int KILLS = 8;

  /** Where a kill can land, each recognised by what the run has left on disk so far. */
  enum Phase {
    STARTING,
    LOCKED,
    STAGING,
    PUBLISHING,
    PUBLISHED
  }

  @TempDir Path dir;
  GraphApiEmulator emulator;
  Path output;
  Path state;

  @BeforeEach
  void startEmulator() {
    // Latency on every call: the run lasts long enough that each phase can be hit, and still only
    // seconds.
    emulator =
        GraphApiEmulator.builder()
            .seed(17)
            .accessToken(TOKEN)
            .accounts(2)
            .pagesWithoutInstagram(1)
            .mediaPerAccount(6)
            .storiesPerAccount(0)
            .now(NOW)
            .latency(Duration.ofMillis(30))
            .build()
            .start();
    output = dir.resolve("out");
    state = dir.resolve("state.json");
  }

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }

  @Test
  void aRunKilledAnywhereIsFollowedByARunThatSucceedsAndPublishesExactlyWhatAnUninterruptedRunDoes()
      throws Exception {
    long seed = FaultSeed.draw("CrashTest");
    Random random = new Random(seed);

    assertSucceeded(JobHarness.run(args()), "seed " + seed + ", uninterrupted run");
    Map<String, Map<String, Long>> expected = published();
    String expectedState = Files.readString(state);
    assertEquals(4, expected.size(), "seed " + seed + ", every stream: " + expected.keySet());
    assertSucceeded(JobHarness.run(args()), "seed " + seed + ", a second uninterrupted run");
    assertEquals(
        expected,
        published(),
        "seed "
            + seed
            + ", a run after a complete one publishes the same: the premise "
            + "of the test");
    assertEquals(
        expectedState,
        Files.readString(state),
        "seed " + seed + ", the state after a complete run");

    int killedAlive = 0;
    List<String> log = new ArrayList<>();
    for (int kill = 1; kill <= KILLS; kill++) {
      boolean fromScratch = random.nextBoolean();
      Phase phase = Phase.values()[random.nextInt(Phase.values().length)];
      boolean sigterm = random.nextInt(3) == 0;
      int delayMillis =
          switch (phase) {
            case STARTING -> random.nextInt(1500);
            case LOCKED -> random.nextInt(300);
            case STAGING -> random.nextInt(150);
            case PUBLISHING, PUBLISHED -> 0;
          };
      String what =
          "seed "
              + seed
              + ", kill "
              + kill
              + ": "
              + (sigterm ? "SIGTERM" : "kill -9")
              + " in "
              + phase
              + " +"
              + delayMillis
              + " ms, "
              + (fromScratch ? "from scratch" : "after a complete run");
      if (fromScratch) {
        deleteTree(output);
        Files.deleteIfExists(state);
      }

      long spawned = System.nanoTime();
      ChildJob job = ChildJob.start(dir.resolve("logs"), args());
      boolean reached = awaitPhase(job, phase);
      Thread.sleep(delayMillis);
      boolean alive = job.isAlive();
      if (sigterm) {
        job.process.destroy();
      } else {
        job.process.destroyForcibly();
      }
      long killedAfter = (System.nanoTime() - spawned) / 1_000_000;
      int exit = job.waitFor(120);
      killedAlive += alive ? 1 : 0;
      log.add(
          what
              + (alive
                  ? " -> killed after " + killedAfter + " ms (exit " + exit + ")"
                  : " -> had ended (exit " + exit + ")")
              + (reached ? "" : ", phase not seen"));
      if (!alive) {
        assertEquals(
            Main.OK, exit, what + ": a run that was not killed must succeed: " + job.err());
      }

      JobHarness.Run next = JobHarness.run(args());
      assertSucceeded(next, what);
      assertFalse(next.err().contains("another run holds"), what + ": " + next.err());
      assertEquals(expected, published(), what);
      assertEquals(expectedState, Files.readString(state), what);
      assertFalse(Files.exists(output.resolve(".staging")), what + ": staging left");
      assertEquals(List.of("state.json"), filesIn(dir), what + ": no lock or temporary state left");
      assertFalse(Files.exists(output.resolve(".instabeam.lock")), what);
    }
    System.out.println(String.join("\n", log));
    assertTrue(
        killedAlive >= KILLS / 2,
        "seed " + seed + ", most kills must hit a live run:\n" + String.join("\n", log));
  }

  /** Waits until the child is in {@code phase} (true), or has ended without reaching it (false). */
  private boolean awaitPhase(ChildJob job, Phase phase) throws InterruptedException {
    while (job.isAlive()) {
      if (reached(phase)) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  private boolean reached(Phase phase) {
    Path lock = output.resolve(".instabeam.lock");
    switch (phase) {
      case STARTING:
        return true;
      case LOCKED:
        return Files.exists(lock);
      case STAGING:
        return !files(output.resolve(".staging")).isEmpty();
      default:
        String runId = runIdIn(lock);
        if (runId == null) {
          return false;
        }
        boolean publishing = published(runId);
        return phase == Phase.PUBLISHING
            ? publishing
            : publishing && !Files.exists(output.resolve(".staging/" + runId));
    }
  }

  /** The run id written in the lock ({@code run RUN host …}), or null if there is none yet. */
  private static String runIdIn(Path lock) {
    try {
      String[] words = Files.readString(lock).split(" ");
      return words.length > 1 && words[0].equals("run") ? words[1] : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether any stream folder already holds a file of this run. */
  private boolean published(String runId) {
    try (Stream<Path> streams = Files.list(output)) {
      return streams
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .anyMatch(stream -> files(stream).stream().anyMatch(name -> name.startsWith(runId)));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Every published record of each stream, counted: file names differ from run to run, records must
   * not.
   */
  private Map<String, Map<String, Long>> published() {
    return JobHarness.published(output).entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    e.getValue().stream()
                        .map(Object::toString)
                        .collect(
                            Collectors.groupingBy(
                                Function.identity(), TreeMap::new, Collectors.counting())),
                (a, b) -> a,
                TreeMap::new));
  }

  /** The names of the regular files under {@code folder} (none if it is not there), sorted. */
  private static List<String> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> tree = Files.walk(folder)) {
      return tree.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // the run deleted something while we looked
    }
  }

  /** The names of the files directly in {@code folder}, sorted. */
  private static List<String> filesIn(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(folder)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private String[] args() {
    return new String[] {
      "--graphApiUrl=" + emulator.baseUrl(),
      "--accessToken=" + TOKEN,
      "--now=" + NOW,
      "--output=" + output,
      "--state=" + state,
      "--streams=users,media,media_insights,user_insights",
      "--startDate=2026-02-20T00:00:00Z",
      "--syncMode=user_insights:incremental_append_deduped",
      // The DirectRunner's checks of user code cost most of a small run's time and are not what is
      // tested here.
      "--enforceImmutability=false",
      "--enforceEncodability=false"
    };
  }

  private static void assertSucceeded(JobHarness.Run run, String what) {
    assertEquals(Main.OK, run.exitCode(), what + ": " + run.err() + run.out());
  }
}
