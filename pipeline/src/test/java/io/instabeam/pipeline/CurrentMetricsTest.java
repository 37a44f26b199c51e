package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.Dataset;
import io.instabeam.emulator.DemographicResult;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import io.instabeam.emulator.RecordedRequest;
import io.instabeam.transforms.Login;
import io.instabeam.transforms.MetricCatalog;
import io.instabeam.transforms.MetricSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default metric set, {@code current}, end to end through {@link Main} against the emulator,
 * field by field: every metric Meta documents for each item's kind (the emulator refuses {@code
 * views} for AD media, as Meta did in Airbyte PR 62902, so those records go without it and the
 * summary says so), the new media fields, the daily account totals with their splits, and the
 * engaged audience demographics.
 */
class CurrentMetricsTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final MetricCatalog.Selection CURRENT =
      new MetricCatalog.Selection(MetricSet.CURRENT, Login.FACEBOOK, "v25.0");

  @TempDir static Path output;
  static GraphApiEmulator emulator;
  static Dataset data;
  static JobHarness.Run run;
  static Map<String, List<ObjectNode>> published;
  static JsonNode summary;

  @BeforeAll
  static void runTheJob() throws Exception {
    emulator =
        GraphApiEmulator.builder()
            .seed(7)
            .accessToken("token-current")
            .accounts(2)
            .mediaPerAccount(130)
            .storiesPerAccount(6)
            .now(NOW)
            .build()
            .start();
    data = emulator.dataset();
    Path summaryFile = output.resolve("summary.json");
    run =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=token-current",
            "--now=" + NOW,
            "--output=" + output.resolve("out"),
            "--summaryFile=" + summaryFile,
            "--streams=users,user_lifetime_insights,"
                + "user_insights,media,media_insights,stories,story_insights");
    published = JobHarness.published(output.resolve("out"));
    summary = JobHarness.JSON.readTree(Files.readString(summaryFile));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void theRunSaysWhichVersionAndMetricSetItUses() {
    assertEquals(Main.OK, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .lines()
            .findFirst()
            .orElseThrow()
            .endsWith("; Graph API v25.0, metric set current"),
        run.out());
  }

  @Test
  void mediaInsightsHaveEveryCurrentMetricOfTheirKind() {
    Map<String, ObjectNode> insights = byId(published.get("media_insights"));
    int checked = 0;
    for (MediaItem item : data.allMedia()) {
      if (data.postedBeforeConversion(item)
          || item.timestamp().isBefore(NOW.minus(Duration.ofDays(730)))) {
        continue;
      }
      ObjectNode record = insights.get(item.id());
      for (String metric : CURRENT.mediaInsights(item.mediaType(), item.mediaProductType())) {
        if (metric.equals("views") && item.mediaProductType().equals("AD")) {
          assertFalse(record.has("views"), "Meta refuses views for AD media: " + record);
        } else {
          assertEquals(
              data.mediaInsight(item, metric),
              record.path(metric).asLong(),
              item.id() + " " + metric);
        }
      }
      checked++;
    }
    assertTrue(checked > 100, "checked " + checked);
    assertTrue(data.allMedia().stream().anyMatch(MediaItem::isReel));
  }

  @Test
  void theRefusedMetricIsReportedPerKindWithTheRecordsWrittenWithoutIt() {
    Map<String, Long> withoutViews =
        published.get("media_insights").stream()
            .filter(r -> !r.has("views"))
            .filter(r -> !r.has("data"))
            .collect(
                Collectors.groupingBy(r -> kindOf(r.path("id").asText()), Collectors.counting()));
    assertFalse(withoutViews.isEmpty());
    withoutViews.keySet().forEach(kind -> assertTrue(kind.endsWith("/AD"), kind));
    String line =
        run.out().lines().filter(l -> l.contains("dropped metrics")).findFirst().orElseThrow();
    withoutViews.forEach(
        (kind, n) -> {
          assertTrue(line.contains(" views(" + kind + ")=" + n), line);
          assertEquals(
              n,
              summary.path("droppedMetrics").path("views(" + kind + ")").asLong(),
              summary.toString());
        });
    assertEquals(withoutViews.size(), summary.path("droppedMetrics").size(), summary.toString());
  }

  @Test
  void mediaAndStoriesCarryTheNewFields() {
    Map<String, ObjectNode> media = byId(published.get("media"));
    for (MediaItem item : data.allMedia()) {
      ObjectNode record = media.get(item.id());
      assertEquals(data.mediaInsight(item, "reposts"), record.path("reposts_count").asLong());
      assertEquals(data.mediaInsight(item, "saved"), record.path("saved_count").asLong());
      assertEquals(data.mediaInsight(item, "shares"), record.path("shares_count").asLong());
      assertEquals(data.mediaAudioType(item), record.path("media_audio_type").textValue());
      assertEquals(data.isAiGenerated(item), record.path("is_ai_generated").asBoolean());
      assertTrue(record.path("is_ai_generated").isBoolean());
    }
    assertTrue(data.allMedia().stream().anyMatch(data::isAiGenerated));
    for (ObjectNode story : published.get("stories")) {
      assertTrue(story.path("is_ai_generated").isBoolean(), story.toString());
      assertFalse(story.has("reposts_count"), "Meta serves the counts for feed media: " + story);
    }
  }

  @Test
  void storyInsightsHaveTheStoryMetricsLinkClicksIncluded() {
    Map<String, ObjectNode> insights = byId(published.get("story_insights"));
    assertFalse(insights.isEmpty());
    for (IgUser user : data.users()) {
      for (MediaItem story : data.stories(user.id())) {
        ObjectNode record = insights.get(story.id());
        if (data.storyBelowViewerThreshold(story)) {
          assertNull(record);
          continue;
        }
        for (String metric : CURRENT.storyInsights()) {
          assertEquals(
              data.mediaInsight(story, metric),
              record.path(metric).asLong(),
              story.id() + " " + metric);
        }
      }
    }
  }

  @Test
  void userInsightsCarryEachDaysTotalsAndTheirSplits() {
    List<ObjectNode> records = published.get("user_insights");
    assertEquals(2 * 90, records.size());
    for (ObjectNode record : records) {
      String account = record.path("business_account_id").asText();
      LocalDate day =
          Instant.parse(record.path("date").asText().replace("+00:00", "Z"))
              .atOffset(ZoneOffset.UTC)
              .toLocalDate();
      assertEquals(
          data.accountInsight(account, "reach", "day", day), record.path("reach").asLong());
      for (String metric :
          List.of(
              "views",
              "accounts_engaged",
              "total_interactions",
              "likes",
              "comments",
              "shares",
              "saves",
              "replies",
              "reposts",
              "follows_and_unfollows",
              "profile_links_taps")) {
        assertEquals(
            data.accountDailyTotal(account, metric, day),
            record.path(metric).asLong(),
            day + " " + metric);
      }
      assertEquals(
          data.accountDailySplit(account, "follows_and_unfollows", "follow_type", day),
          counts(record.path("follows_and_unfollows_by_follow_type")));
      assertEquals(
          data.accountDailySplit(account, "profile_links_taps", "contact_button_type", day),
          counts(record.path("profile_links_taps_by_contact_button_type")));
    }
  }

  @Test
  void dailyTotalsCostThreeCallsPerAccountAndDayInBatches() {
    List<RecordedRequest> totals =
        emulator.requests().stream()
            .filter(
                r ->
                    r.batched()
                        && "total_value".equals(r.params().get("metric_type"))
                        && !r.params().get("metric").contains("demographics"))
            .toList();
    assertEquals(2 * 90 * 3, totals.size());
    assertEquals(2 * 90, totals.stream().filter(r -> r.params().get("breakdown") == null).count());
    for (RecordedRequest r : totals) {
      long since = Long.parseLong(r.params().get("since"));
      long until = Long.parseLong(r.params().get("until"));
      assertEquals(
          Duration.ofDays(1).getSeconds(), until - since, "one day per range: " + r.params());
    }
  }

  @Test
  void lifetimeInsightsAddTheEngagedAudienceWithoutTheTimeframeInTheKeys() {
    List<ObjectNode> records = published.get("user_lifetime_insights");
    assertEquals(2 * 6, records.size());
    for (IgUser user : data.users()) {
      for (String breakdown : List.of("city", "country", "age,gender")) {
        ObjectNode engaged =
            records.stream()
                .filter(
                    r ->
                        r.path("business_account_id").asText().equals(user.id())
                            && r.path("breakdown").asText().equals(breakdown)
                            && r.path("metric").asText().equals("engaged_audience_demographics"))
                .findFirst()
                .orElseThrow();
        assertEquals("this_month", engaged.path("timeframe").asText());
        Map<String, Long> expected = new HashMap<>();
        for (DemographicResult result :
            data.engagedAudienceDemographics(user.id(), breakdown, "this_month")) {
          expected.put(String.join(",", result.dimensionValues()), result.value());
        }
        assertEquals(expected, counts(engaged.path("value")));
        assertTrue(
            records.stream()
                .anyMatch(
                    r ->
                        r.path("business_account_id").asText().equals(user.id())
                            && r.path("breakdown").asText().equals(breakdown)
                            && r.path("metric").asText().equals("follower_demographics")
                            && !r.has("timeframe")));
      }
    }
  }

  /**
   * Meta is removing multi-id requests, field aliases, date formatting and async batches: none is
   * sent.
   */
  @Test
  void noLegacyFeatureIsSent() {
    for (RecordedRequest request : emulator.requests()) {
      for (String legacy :
          List.of(
              "ids",
              "date_format",
              "pretty",
              "debug",
              "method",
              "callback",
              "suppress_http_code")) {
        assertFalse(request.params().containsKey(legacy), legacy + " in " + request);
      }
      assertFalse(
          String.valueOf(request.params().get("fields")).contains(".as("),
          "a field alias in " + request);
      assertFalse(request.path().contains("async"), request.toString());
    }
  }

  private static String kindOf(String mediaId) {
    MediaItem item = data.mediaItem(mediaId).orElseThrow();
    return MetricCatalog.kind(item.mediaType(), item.mediaProductType());
  }

  private static Map<String, Long> counts(JsonNode object) {
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
    object.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  private static Map<String, ObjectNode> byId(List<ObjectNode> records) {
    return records.stream()
        .collect(Collectors.toMap(r -> r.path("id").asText(), Function.identity()));
  }
}
