package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental {@code media} and {@code media_insights} end to end: a month of daily runs through
 * {@link Main} against the emulator over HTTP, its clock moved a day between runs (engagement
 * drifts, accounts post), each run compared with a full refresh at the same time.
 */
class IncrementalMediaTest {
  static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
  static final Duration DAY = Duration.ofDays(1);
  static final Duration REFRESH_WINDOW = Duration.ofDays(30);
  static final Duration BOUND = Duration.ofDays(7);
  static final Duration RETENTION = Duration.ofDays(730);
  static final String DEDUPED =
      "--syncMode=media:incremental_append_deduped," + "media_insights:incremental_append_deduped";

  @TempDir Path dir;
  Path output;
  Path state;
  GraphApiEmulator emulator;

  @BeforeEach
  void startEmulator() {
    emulator =
        GraphApiEmulator.builder()
            .seed(23)
            .accessToken("token-media")
            .accounts(2)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(120)
            .storiesPerAccount(0)
            .now(NOW)
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
  void aMonthOfDailyDedupedRunsMatchesAFullRefreshInTheWindowAndStaysWithinTheBound()
      throws Exception {
    long fullCalls = 0;
    long steadyCalls = 0;
    for (int day = 0; day <= 30; day++) {
      Instant now = NOW.plus(DAY.multipliedBy(day));
      emulator.clock().set(now);
      if (day == 15) {
        assertFailedRunsChangeNothing(now);
      }
      emulator.resetStats();
      assertSucceeded(run(now, output, state, DEDUPED));
      long incrementalCalls = emulator.stats().calls();
      emulator.resetStats();
      Path full = dir.resolve("full-" + day);
      assertSucceeded(run(now, full, null));
      fullCalls += emulator.stats().calls();
      if (day >= 8) {
        steadyCalls += incrementalCalls;
      }

      Map<String, ObjectNode> media =
          byId(JobHarness.records(output.resolve("media")), "media", day);
      Map<String, ObjectNode> fullMedia =
          byId(JobHarness.records(full.resolve("media")), "full media", day);
      // Moved posts are published again too, and the emulator changes nothing else: every post
      // matches.
      assertEquals(fullMedia, media, "day " + day);

      Map<String, ObjectNode> insights =
          byId(JobHarness.records(output.resolve("media_insights")), "insights", day);
      Map<String, ObjectNode> fullInsights =
          byId(JobHarness.records(full.resolve("media_insights")), "full", day);
      assertEquals(
          fullInsights.keySet(),
          insights.keySet(),
          "day " + day + ": one insights record per post");
      int rotated = 0;
      for (ObjectNode post : fullMedia.values()) {
        String id = post.path("id").asText();
        Instant created = OffsetDateTime.parse(post.path("timestamp").asText()).toInstant();
        if (!fullInsights.containsKey(id)) {
          continue; // Meta has no insights for it (posted before the account became a business one)
        }
        ObjectNode record = insights.get(id).deepCopy();
        Instant readAt =
            OffsetDateTime.parse(record.remove("insights_read_at").asText()).toInstant();
        if (created.isAfter(now.minus(REFRESH_WINDOW))) {
          assertEquals(now, readAt, "day " + day + ": young post " + id + " read in this run");
          assertEquals(fullInsights.get(id), record, "day " + day + ": post " + id);
        } else if (!created.isBefore(now.minus(RETENTION))) {
          assertTrue(
              Duration.between(readAt, now).compareTo(BOUND) < 0,
              "day " + day + ": post " + id + " read at " + readAt);
          if (readAt.equals(now)) {
            assertEquals(fullInsights.get(id), record, "day " + day + ": post " + id);
            rotated++;
          }
        } // else past Meta's retention: it serves no data any more, the last values read stay
      }
      if (day > 0) {
        assertTrue(rotated > 0, "day " + day + ": older posts are read in the rotation");
      }
    }
    long fullPerRun = fullCalls / 31;
    long steadyPerRun = steadyCalls / 23;
    assertTrue(
        steadyPerRun * 3 < fullPerRun,
        "steady-state calls per run " + steadyPerRun + " vs full " + fullPerRun);
  }

  @Test
  void incrementalAppendAddsOnlyWhatChangedAndKeepsTheAirbyteShapeOfFullRefresh() throws Exception {
    assertSucceeded(
        run(
            NOW,
            output,
            state,
            "--syncMode=media:incremental_append,media_insights:incremental_append",
            "--metricSet=airbyte"));
    int firstMedia = JobHarness.records(output.resolve("media")).size();
    int firstInsights = JobHarness.records(output.resolve("media_insights")).size();
    assertEquals(240, firstMedia, "a first run reads everything");
    emulator.clock().set(NOW.plus(DAY));
    assertSucceeded(
        run(
            NOW.plus(DAY),
            output,
            state,
            "--syncMode=media:incremental_append,media_insights:incremental_append",
            "--metricSet=airbyte"));
    int added = JobHarness.records(output.resolve("media")).size() - firstMedia;
    int addedInsights = JobHarness.records(output.resolve("media_insights")).size() - firstInsights;
    assertTrue(added > 0 && added < firstMedia / 2, "added " + added);
    assertTrue(addedInsights > 0 && addedInsights < firstInsights / 2, "added " + addedInsights);

    // Full refresh keeps Airbyte's records: no insights_read_at, no media state.
    Path full = dir.resolve("full");
    Path fullState = dir.resolve("full-state.json");
    assertSucceeded(run(NOW, full, fullState, "--metricSet=airbyte"));
    JobHarness.records(full.resolve("media_insights"))
        .forEach(r -> assertFalse(r.has("insights_read_at"), r.toString()));
    assertFalse(
        Files.exists(fullState) && Files.readString(fullState).contains("\"media"),
        "a full refresh keeps no media state");
  }

  @Test
  void theStateKeepsOneCursorPerAccountAndEachPostsEngagement() throws Exception {
    assertSucceeded(run(NOW, output, state, DEDUPED));
    JsonNode messages = JobHarness.JSON.readTree(state.toFile());
    Map<String, JsonNode> byStream = new TreeMap<>();
    messages.forEach(
        m -> byStream.put(m.path("stream").path("stream_descriptor").path("name").asText(), m));
    JsonNode insights =
        byStream.get("media_insights").path("stream").path("stream_state").path("states");
    assertEquals(2, insights.size());
    assertEquals(
        "2026-03-10T06:00:00+00:00",
        insights.get(0).path("cursor").path("insights_read_at").asText());
    assertEquals(120, insights.get(0).path("engagement").size());
    JsonNode media = byStream.get("media").path("stream").path("stream_state").path("states");
    String account = media.get(0).path("partition").path("business_account_id").asText();
    String newest =
        emulator.dataset().media(account).get(0).timestamp().toString().replace("Z", "+00:00");
    assertEquals(newest, media.get(0).path("cursor").path("timestamp").asText());
  }

  @Test
  void storiesIncrementalKeepsTheNewestStoryAsCursorAndOneRecordPerStory() throws Exception {
    try (GraphApiEmulator stories =
        GraphApiEmulator.builder()
            .seed(29)
            .accessToken("token-media")
            .accounts(2)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(5)
            .storiesPerAccount(6)
            .now(NOW)
            .build()
            .start()) {
      List<String> args =
          List.of(
              "--graphApiUrl=" + stories.baseUrl(),
              "--accessToken=token-media",
              "--output=" + output,
              "--state=" + state,
              "--streams=stories,story_insights",
              "--syncMode=stories:incremental_append_deduped");
      for (Instant now : List.of(NOW, NOW.plus(Duration.ofHours(2)))) {
        stories.clock().set(now);
        List<String> run = new ArrayList<>(args);
        run.add("--now=" + now);
        assertSucceeded(JobHarness.run(run.toArray(String[]::new)));
        assertEquals(12, byId(JobHarness.records(output.resolve("stories")), "stories", 0).size());
      }
      JsonNode message = null;
      for (JsonNode m : JobHarness.JSON.readTree(state.toFile())) {
        if (m.path("stream").path("stream_descriptor").path("name").asText().equals("stories")) {
          message = m;
        }
      }
      JsonNode partition = message.path("stream").path("stream_state").path("states").get(0);
      String account = partition.path("partition").path("business_account_id").asText();
      assertEquals(
          stories.dataset().stories(account).get(0).timestamp().toString().replace("Z", "+00:00"),
          partition.path("cursor").path("timestamp").asText());
    }
  }

  /**
   * Runs that fail change nothing: one whose sink cannot write after everything was read (a file
   * where it stages its output, as on a full disk), and one that the API stops (the token lost
   * instagram_basic).
   */
  private void assertFailedRunsChangeNothing(Instant now) throws java.io.IOException {
    Map<String, String> before = JobHarness.publishedSnapshot(output);
    before.put("state", Files.readString(state));
    Files.writeString(output.resolve(".staging"), "not a folder");
    JobHarness.Run failedToPublish = run(now, output, state, DEDUPED);
    Files.delete(output.resolve(".staging"));
    assertEquals(Main.FAILED, failedToPublish.exitCode(), failedToPublish.err());
    emulator.revokePermission("instagram_basic");
    JobHarness.Run failedToRead = run(now, output, state, DEDUPED);
    emulator.grantPermission("instagram_basic");
    assertFalse(failedToRead.exitCode() == Main.OK, failedToRead.err());
    Map<String, String> after = JobHarness.publishedSnapshot(output);
    after.put("state", Files.readString(state));
    assertEquals(before, after, "the failed runs moved nothing");
  }

  private static Map<String, ObjectNode> byId(List<ObjectNode> records, String what, int day) {
    Map<String, ObjectNode> byId = new TreeMap<>();
    for (ObjectNode record : records) {
      ObjectNode earlier = byId.put(record.path("id").asText(), record);
      assertTrue(earlier == null, "day " + day + ": " + what + " " + record.path("id") + " twice");
    }
    return byId;
  }

  private JobHarness.Run run(Instant now, Path out, Path statePath, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=token-media",
                "--now=" + now,
                "--output=" + out,
                "--streams=media,media_insights"));
    if (statePath != null) {
      args.add("--state=" + statePath);
    }
    args.addAll(List.of(extra));
    return JobHarness.run(args.toArray(String[]::new));
  }

  private static void assertSucceeded(JobHarness.Run run) {
    assertEquals(Main.OK, run.exitCode(), run.err() + run.out());
  }
}
