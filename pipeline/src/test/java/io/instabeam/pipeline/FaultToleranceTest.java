package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.Faults;
import io.instabeam.emulator.GraphApiEmulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transient faults lose nothing: the whole job, through {@link Main}, against an emulator that
 * injects faults (a fresh fault seed per test, over the same data set; {@code
 * -Dinstabeam.faultSeed=N} replays one, see {@link FaultSeed}) publishes exactly what a fault-free
 * run publishes — every stream, record for record, with no duplicates. The single-kind tests use a
 * high rate so that each kind is surely exercised in a small run; the last test is the mix
 * at 5% each.
 */
class FaultToleranceTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final long DATA_SEED = 23;
  static final String TOKEN = "token-faults";

  @TempDir static Path root;
  static Map<String, Map<JsonNode, Long>> faultFree;

  @BeforeAll
  static void runWithoutFaults() {
    faultFree = new FaultyRun(Faults.none(), root.resolve("fault-free")).published;
    assertEquals(8, faultFree.size(), "every stream is published: " + faultFree.keySet());
    faultFree.forEach((stream, records) -> assertTrue(!records.isEmpty(), stream + " has records"));
  }

  @Test
  void http500And503AreRetriedAndTheOutputIsUnchanged() {
    FaultyRun run = new FaultyRun(Faults.builder().http5xxRate(0.25).build(), root.resolve("5xx"));
    run.assertInjectedAnyOf("http_500", "http_503");
    run.assertSameOutputAsFaultFree();
  }

  @Test
  void transientGraphErrorsAreRetriedAndTheOutputIsUnchanged() {
    FaultyRun run =
        new FaultyRun(Faults.builder().transientErrorRate(0.25).build(), root.resolve("transient"));
    run.assertInjectedAnyOf("transient_500", "transient_400");
    run.assertSameOutputAsFaultFree();
  }

  @Test
  void droppedConnectionsAreRetriedAndTheOutputIsUnchanged() {
    FaultyRun run =
        new FaultyRun(Faults.builder().dropConnectionRate(0.25).build(), root.resolve("dropped"));
    run.assertInjected("drop_connection");
    run.assertSameOutputAsFaultFree();
  }

  @Test
  void truncatedBodiesAreRetriedNeverParsedAsSuccess() {
    FaultyRun run =
        new FaultyRun(Faults.builder().truncatedBodyRate(0.25).build(), root.resolve("truncated"));
    run.assertInjected("truncated_body");
    run.assertSameOutputAsFaultFree();
  }

  @Test
  void batchSubRequestsThatFailOrDoNotCompleteAreRetried() {
    // Rates high enough that each of the four kinds is drawn many times whatever the seed: at 0.1 a
    // CI run drew 11
    // transient faults on batch items, all 500s and no 400 (a 1-in-2048 chance), and the test
    // failed.
    FaultyRun run =
        new FaultyRun(
            Faults.builder().http5xxRate(0.2).transientErrorRate(0.2).build(),
            root.resolve("batch-items"));
    run.assertInjected(
        "batch_item_http_500",
        "batch_item_not_completed",
        "batch_item_transient_500",
        "batch_item_transient_400");
    run.assertSameOutputAsFaultFree();
  }

  @Test
  void fivePercentOfEveryFaultKindAtOnceStillLosesNothing() {
    FaultyRun run =
        new FaultyRun(
            Faults.builder()
                .http5xxRate(0.05)
                .transientErrorRate(0.05)
                .dropConnectionRate(0.05)
                .truncatedBodyRate(0.25)
                .build(),
            root.resolve("all"));
    assertTrue(
        run.stats.faults().values().stream().mapToLong(Long::longValue).sum() > 0, run.describe());
    run.assertSameOutputAsFaultFree();
  }

  /**
   * One job run against a fresh emulator over the same data set, with {@code faults} drawn from a
   * fresh seed.
   */
  static final class FaultyRun {
    final long faultSeed;
    final JobHarness.Run job;
    final EmulatorStats stats;
    final Map<String, Map<JsonNode, Long>> published;

    FaultyRun(Faults faults, Path output) {
      faultSeed = FaultSeed.draw("FaultToleranceTest " + output.getFileName());
      try (GraphApiEmulator emulator =
          GraphApiEmulator.builder()
              .seed(DATA_SEED)
              .accessToken(TOKEN)
              .accounts(2)
              .pagesWithoutInstagram(1)
              .mediaPerAccount(40)
              .storiesPerAccount(4)
              .now(NOW)
              .faults(faults.withSeed(faultSeed))
              .build()
              .start()) {
        job =
            JobHarness.run(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=" + TOKEN,
                "--now=" + NOW,
                // With every fault kind on, about one attempt in three fails (outer request and
                // batch item faults add
                // up): 12 attempts make a request that never gets through a one-in-a-million event
                // instead of a flake.
                "--output=" + output,
                "--retryBackoffMillis=5",
                "--maxAttempts=12",
                "--streams=Api,users,user_lifetime_insights,user_insights,media,media_insights,stories,story_insights");
        stats = emulator.stats();
      }
      assertEquals(0, job.exitCode(), describe() + job.err());
      published =
          JobHarness.published(output).entrySet().stream()
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey,
                      e ->
                          e.getValue().stream()
                              .collect(
                                  Collectors.groupingBy(
                                      Function.<JsonNode>identity(), Collectors.counting())),
                      (a, b) -> a,
                      TreeMap::new));
    }

    void assertInjected(String... kinds) {
      for (String kind : kinds) {
        assertTrue(
            stats.faults().getOrDefault(kind, 0L) > 0,
            describe() + "no " + kind + " fault was injected");
      }
    }

    /**
     * At least one of these kinds was served (the HTTP-level draws are few: most calls travel in
     * batches).
     */
    void assertInjectedAnyOf(String... kinds) {
      long served = 0;
      for (String kind : kinds) {
        served += stats.faults().getOrDefault(kind, 0L);
      }
      assertTrue(served > 0, describe() + "none of " + String.join(", ", kinds) + " was injected");
    }

    void assertSameOutputAsFaultFree() {
      assertEquals(faultFree.keySet(), published.keySet(), describe());
      for (String stream : faultFree.keySet()) {
        assertEquals(faultFree.get(stream), published.get(stream), describe() + "stream " + stream);
      }
    }

    private String describe() {
      return "fault seed "
          + faultSeed
          + ", faults served "
          + stats.faults()
          + " in "
          + stats.httpRequests()
          + " HTTP requests ("
          + stats.calls()
          + " calls): ";
    }
  }
}
