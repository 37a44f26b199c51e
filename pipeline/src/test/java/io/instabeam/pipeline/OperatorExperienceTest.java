package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of a run: the start line, periodic progress, the summary and its JSON for
 * schedulers.
 */
class OperatorExperienceTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path tmp;

  @Test
  void longRunPrintsStartLineProgressAndSummaryAndWritesTheSummaryJson() throws IOException {
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(3)
            .accessToken("t-progress")
            .accounts(1)
            .mediaPerAccount(30)
            .now(NOW)
            .latency(Duration.ofMillis(150))
            .build()
            .start()) {
      Path summary = tmp.resolve("summary.json");
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + emulator.baseUrl(),
              "--accessToken=t-progress",
              "--now=" + NOW,
              "--output=" + tmp.resolve("out"),
              "--progressSeconds=1",
              "--summaryFile=" + summary,
              "--streams=users,media,media_insights,user_insights");
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(
          run.out()
              .startsWith(
                  "instabeam: reading [users, media, media_insights, user_insights] from "
                      + emulator.baseUrl()
                      + " (Facebook Login) into "
                      + tmp.resolve("out")),
          run.out());
      assertTrue(run.out().contains("instabeam: progress "), run.out());
      assertTrue(run.out().contains("instabeam run succeeded"), run.out());
      JsonNode json = JobHarness.JSON.readTree(Files.readString(summary));
      assertEquals("succeeded", json.path("status").asText());
      assertEquals(30, json.path("records").path("media").asLong());
      assertEquals(1, json.path("accounts").asLong());
      assertTrue(
          json.path("apiCalls").asLong() > 0 && json.path("httpRequests").asLong() > 0,
          json.toString());
    }
  }

  @Test
  void failedRunWritesAFailedSummaryForTheScheduler() throws IOException {
    Path summary = tmp.resolve("summary.json");
    JobHarness.Run run =
        JobHarness.run(
            "--graphApiUrl=http://127.0.0.1:9",
            "--accessToken=t-failed-run-token",
            "--maxAttempts=1",
            "--now=" + NOW,
            "--output=" + tmp.resolve("out"),
            "--summaryFile=" + summary);
    assertEquals(Main.FAILED, run.exitCode());
    assertEquals(1, run.err().lines().count(), run.err());
    JsonNode json = JobHarness.JSON.readTree(Files.readString(summary));
    assertEquals("failed", json.path("status").asText());
    assertTrue(json.path("error").asText().contains("network error"), json.toString());
  }

  @Test
  void cloudStoragePathsResolveThroughBeamFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    ResourceId output = FileSystems.matchNewResource("gs://my-bucket/instagram/", true);
    assertEquals("gs", output.getScheme());
    assertEquals(
        "gs://my-bucket/instagram/media/part.jsonl",
        output
            .resolve("media/", StandardResolveOptions.RESOLVE_DIRECTORY)
            .resolve("part.jsonl", StandardResolveOptions.RESOLVE_FILE)
            .toString());
  }
}
