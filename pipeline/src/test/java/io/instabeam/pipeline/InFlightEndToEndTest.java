package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Insights batch requests wait on the network, so one runner thread keeps several in flight ({@code
 * --maxRequestsInFlight}), within each account's {@code --maxConcurrentPerAccount}, with the same
 * records. Runs on embedded Flink with one slot: its bundles hold many batches, as on any
 * production runner (the DirectRunner's bundles are small). Insights requests start while the media
 * edge is still being read: Flink's batch optimizer puts no blocking exchange between the two. The
 * assertions count requests, never time: the emulator counts the batch requests in flight at once,
 * and holds the media edge's last page until a batch request was answered (a job that read insights
 * only after the whole edge would see its batches recorded after that page).
 */
class InFlightEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String BATCH = "batch";

  @TempDir Path tmp;

  @Test
  void oneRunnerThreadKeepsSeveralBatchRequestsInFlightAndWritesTheSameRecords() throws Exception {
    Run sequential = run(1, "sequential");
    Run concurrent = run(8, "concurrent");
    // --maxRequestsInFlight=1: one insights batch request at a time
    assertEquals(
        1, sequential.concurrency().peakInFlight(BATCH), sequential.concurrency().toString());
    // a media page's two batches go together (neither waits for the other), never more than the
    // account's 4
    assertTrue(
        concurrent.concurrency().peakInFlight(BATCH) >= 2, concurrent.concurrency().toString());
    assertTrue(
        concurrent.concurrency().peakInFlight(BATCH) <= 4, concurrent.concurrency().toString());
    assertEquals(ids(sequential.records()), ids(concurrent.records()));
    assertEquals(sequential.records().size(), concurrent.records().size());
    // the last media page waited for a batch request (its answer is recorded first) unless none
    // came meanwhile
    for (Run run : List.of(sequential, concurrent)) {
      assertTrue(
          run.firstBatch() < run.lastMediaPage(),
          "the first insights batch request is #"
              + run.firstBatch()
              + ", the last media page #"
              + run.lastMediaPage());
    }
    assertTrue(
        concurrent.records().size() > 300,
        "most of 400 media have insights: " + concurrent.records().size());
    // the calls made on the pool's threads are counted in the run's metrics like any other
    for (Run run : List.of(sequential, concurrent)) {
      assertEquals(
          run.httpRequests(),
          run.summary().path("httpRequests").asLong(),
          run.summary().toString());
    }
  }

  /**
   * An account's user_insights are a dozen batch requests for two years: they go as many at once as
   * the account may have in flight, and the records are those of one request at a time.
   */
  @Test
  void anAccountsUserInsightsBatchesAreInFlightTogetherWithinItsLimit() throws Exception {
    Map<Integer, List<ObjectNode>> records = new java.util.HashMap<>();
    for (int perAccount : List.of(1, 3)) {
      try (GraphApiEmulator emulator =
          GraphApiEmulator.builder()
              .seed(12)
              .accessToken("t-user-insights")
              .accounts(1)
              .mediaPerAccount(1)
              .now(NOW)
              .latency(Duration.ofMillis(100))
              .build()
              .start()) {
        Path output = tmp.resolve("user-insights-" + perAccount);
        JobHarness.Run run =
            JobHarness.run(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=t-user-insights",
                "--now=" + NOW,
                "--output=" + output,
                "--streams=user_insights",
                "--maxConcurrentPerAccount=" + perAccount);
        assertEquals(0, run.exitCode(), run.err());
        EmulatorStats.Concurrency concurrency = emulator.stats().concurrency();
        assertTrue(emulator.stats().requests("batch") > 3, emulator.stats().toString());
        assertTrue(concurrency.peakInFlight(BATCH) <= perAccount, concurrency.toString());
        if (perAccount > 1) {
          // submitted together, each waiting 100 ms in the emulator: the second arrives while the
          // first waits
          assertTrue(concurrency.peakInFlight(BATCH) > 1, concurrency.toString());
        }
        records.put(perAccount, JobHarness.published(output).get("user_insights"));
      }
    }
    assertEquals(records.get(1), records.get(3));
  }

  /**
   * {@code firstBatch} and {@code lastMediaPage}: positions in the order the emulator served its
   * HTTP requests.
   */
  private record Run(
      List<ObjectNode> records,
      EmulatorStats.Concurrency concurrency,
      long httpRequests,
      JsonNode summary,
      int firstBatch,
      int lastMediaPage) {}

  private Run run(int maxRequestsInFlight, String name) throws Exception {
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("t-in-flight")
            .accounts(1)
            .mediaPerAccount(400)
            .now(NOW)
            .latency(Duration.ofMillis(100))
            .lastMediaPageWaitsForBatch(Duration.ofSeconds(30))
            .build()
            .start()) {
      Path output = tmp.resolve(name);
      Path summary = tmp.resolve(name + ".json");
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + emulator.baseUrl(),
              "--accessToken=t-in-flight",
              "--now=" + NOW,
              "--output=" + output,
              "--summaryFile=" + summary,
              "--streams=media,media_insights",
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=1",
              "--maxConcurrentPerAccount=4",
              "--maxRequestsInFlight=" + maxRequestsInFlight);
      assertEquals(0, run.exitCode(), run.err());
      Map<String, List<ObjectNode>> published = JobHarness.published(output);
      List<String> kinds =
          emulator.requests().stream()
              .filter(r -> !r.batched())
              .map(RecordedRequest::kind)
              .toList();
      return new Run(
          published.get("media_insights"),
          emulator.stats().concurrency(),
          emulator.stats().httpRequests(),
          JobHarness.JSON.readTree(Files.readString(summary)),
          kinds.indexOf(BATCH),
          kinds.lastIndexOf("user/media"));
    }
  }

  private static Set<String> ids(List<ObjectNode> records) {
    return records.stream().map(r -> r.path("id").asText()).collect(Collectors.toSet());
  }
}
