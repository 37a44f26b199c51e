package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.Dataset;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.MediaItem;
import io.instabeam.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meta changes the API under a running job: {@code follower_count} and {@code online_followers} are
 * gone, VIDEO/FEED media no longer support {@code views}, IMAGE/FEED answers leave {@code reposts}
 * out. The run still exits 0 with every record, each refused metric costs only its column, one
 * warning names each metric and kind, and the summary counts the records written without it.
 */
class MetricChurnTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir static Path tmp;
  static GraphApiEmulator emulator;
  static Dataset data;
  static JobHarness.Run run;
  static String log;
  static Map<String, List<ObjectNode>> published;
  static JsonNode summary;

  @BeforeAll
  static void runTheJobWhileMetaChangesTheApi() throws Exception {
    emulator =
        GraphApiEmulator.builder()
            .seed(7)
            .accessToken("token-churn")
            .accounts(2)
            .mediaPerAccount(130)
            .storiesPerAccount(6)
            .now(NOW)
            .removedMetrics("follower_count", "online_followers")
            .unsupportedMetric("views", "VIDEO/FEED")
            .omittedMetric("reposts", "IMAGE/FEED")
            .build()
            .start();
    data = emulator.dataset();
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      run =
          JobHarness.run(
              "--graphApiUrl=" + emulator.baseUrl(),
              "--accessToken=token-churn",
              "--now=" + NOW,
              "--output=" + tmp.resolve("out"),
              "--summaryFile=" + tmp.resolve("summary.json"),
              "--streams=user_insights,media,media_insights");
    } finally {
      System.setErr(stderr);
    }
    log = captured.toString(StandardCharsets.UTF_8);
    published = JobHarness.published(tmp.resolve("out"));
    summary = JobHarness.JSON.readTree(Files.readString(tmp.resolve("summary.json")));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void theRunSucceedsWithEveryRecord() {
    assertEquals(Main.OK, run.exitCode(), run.err());
    assertEquals(260, published.get("media").size());
    Set<String> expected =
        data.allMedia().stream()
            .filter(m -> !data.postedBeforeConversion(m))
            .map(MediaItem::id)
            .collect(Collectors.toSet());
    assertEquals(
        expected,
        published.get("media_insights").stream()
            .map(r -> r.path("id").asText())
            .collect(Collectors.toSet()));
    assertEquals(2 * 90, published.get("user_insights").size());
  }

  @Test
  void aMetricAKindNoLongerSupportsCostsOnlyThatColumnForThatKind() {
    Map<String, ObjectNode> insights = byId(published.get("media_insights"));
    long videoFeed = 0;
    for (MediaItem item : data.allMedia()) {
      ObjectNode record = insights.get(item.id());
      if (record == null || record.has("data")) {
        continue;
      }
      String kind = item.mediaType() + "/" + item.mediaProductType();
      assertEquals(
          !kind.equals("VIDEO/FEED") && !kind.endsWith("/AD"),
          record.has("views"),
          kind + " " + record);
      assertEquals(!kind.equals("IMAGE/FEED"), record.has("reposts"), kind + " " + record);
      assertEquals(data.mediaInsight(item, "reach"), record.path("reach").asLong());
      videoFeed += kind.equals("VIDEO/FEED") ? 1 : 0;
    }
    assertTrue(videoFeed > 0, "the data set has VIDEO/FEED media");
  }

  @Test
  void theItemIsAskedAgainWithoutTheMetricAndLaterItemsAreNotAskedForIt() {
    List<RecordedRequest> videoFeed =
        emulator.requests().stream()
            .filter(r -> r.path().endsWith("/insights") && r.path().length() > 10)
            .filter(
                r ->
                    data.mediaItem(r.path().split("/")[1])
                        .map(
                            m ->
                                m.mediaType().equals("VIDEO")
                                    && m.mediaProductType().equals("FEED")
                                    && !data.postedBeforeConversion(m))
                        .orElse(false))
            .toList();
    List<RecordedRequest> refused = videoFeed.stream().filter(r -> r.status() == 400).toList();
    assertFalse(refused.isEmpty());
    refused.forEach(r -> assertTrue(r.params().get("metric").contains("views"), r.toString()));
    long items = videoFeed.stream().map(RecordedRequest::path).distinct().count();
    assertEquals(
        items,
        videoFeed.stream().filter(r -> r.status() == 200).count(),
        "each item answered once");
    assertTrue(
        refused.size() < items,
        refused.size()
            + " refused of "
            + items
            + ": items asked after the first refusal are asked without views");
  }

  @Test
  void retiredAccountMetricsCostOnlyTheirColumns() {
    for (ObjectNode record : published.get("user_insights")) {
      assertFalse(
          record.has("follower_count") || record.has("online_followers"), record.toString());
      assertTrue(
          record.has("reach") && record.has("reach_week") && record.has("views"),
          record.toString());
    }
  }

  @Test
  void oneWarningNamesEachMetricAndKind() {
    for (String dropped :
        List.of(
            "the metric views for VIDEO/FEED",
            "the metric reposts for IMAGE/FEED",
            "the metric follower_count for account/day",
            "the metric online_followers for account/lifetime")) {
      assertEquals(
          1,
          log.lines().filter(l -> l.contains("WARN") && l.contains(dropped)).count(),
          dropped + "\n" + log);
    }
  }

  @Test
  void theSummaryCountsTheRecordsWrittenWithoutEachMetric() {
    long videoFeed = count(r -> !r.has("data") && kindOf(r).equals("VIDEO/FEED"));
    long imageFeed = count(r -> !r.has("data") && kindOf(r).equals("IMAGE/FEED"));
    JsonNode dropped = summary.path("droppedMetrics");
    assertEquals(videoFeed, dropped.path("views(VIDEO/FEED)").asLong(), dropped.toString());
    assertEquals(imageFeed, dropped.path("reposts(IMAGE/FEED)").asLong(), dropped.toString());
    assertEquals(2 * 90, dropped.path("follower_count(account/day)").asLong(), dropped.toString());
    assertEquals(
        2 * 90, dropped.path("online_followers(account/lifetime)").asLong(), dropped.toString());
    assertTrue(run.out().contains("views(VIDEO/FEED)=" + videoFeed), run.out());
    assertTrue(run.out().contains("follower_count(account/day)=180"), run.out());
  }

  /**
   * The Airbyte set asks for follower_count and online_followers too: their removal costs only
   * their columns.
   */
  @Test
  void theAirbyteSetSurvivesTheRemovalToo() {
    Path out = tmp.resolve("airbyte");
    JobHarness.Run airbyte =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=token-churn",
            "--now=" + NOW,
            "--output=" + out,
            "--metricSet=airbyte",
            "--streams=user_insights");
    assertEquals(Main.OK, airbyte.exitCode(), airbyte.err());
    List<ObjectNode> records = JobHarness.published(out).get("user_insights");
    assertEquals(2 * 90, records.size());
    records.forEach(
        r ->
            assertEquals(
                Set.of(
                    "date",
                    "page_id",
                    "business_account_id",
                    "reach",
                    "reach_week",
                    "reach_days_28"),
                fieldNames(r)));
    assertTrue(airbyte.out().contains("online_followers(account/lifetime)=180"), airbyte.out());
  }

  /**
   * With every metric of a kind refused, its items are skipped and counted; the other kinds are all
   * there.
   */
  @Test
  void aKindWithEveryMetricRefusedIsSkippedAndCounted() {
    Path out = tmp.resolve("nothing-left");
    try (GraphApiEmulator refusing =
        GraphApiEmulator.builder()
            .seed(7)
            .accessToken("token-churn")
            .accounts(2)
            .mediaPerAccount(130)
            .storiesPerAccount(6)
            .now(NOW)
            .unsupportedMetric("reach", "VIDEO/FEED")
            .unsupportedMetric("saved", "VIDEO/FEED")
            .build()
            .start()) {
      JobHarness.Run airbyte =
          JobHarness.run(
              "--graphApiUrl=" + refusing.baseUrl(),
              "--accessToken=token-churn",
              "--now=" + NOW,
              "--output=" + out,
              "--metricSet=airbyte",
              "--streams=media_insights");
      assertEquals(Main.OK, airbyte.exitCode(), airbyte.err());
      List<MediaItem> videoFeed =
          data.allMedia().stream()
              .filter(m -> !data.postedBeforeConversion(m))
              .filter(m -> m.mediaType().equals("VIDEO") && m.mediaProductType().equals("FEED"))
              .toList();
      Set<String> expected =
          data.allMedia().stream()
              .filter(m -> !data.postedBeforeConversion(m))
              .filter(m -> !videoFeed.contains(m))
              .map(MediaItem::id)
              .collect(Collectors.toSet());
      assertEquals(
          expected,
          JobHarness.published(out).get("media_insights").stream()
              .map(r -> r.path("id").asText())
              .collect(Collectors.toSet()));
      // Once both metrics are dropped, a VIDEO/FEED item posted before the conversion is not asked
      // either.
      long allVideoFeed =
          data.allMedia().stream()
              .filter(m -> m.mediaType().equals("VIDEO") && m.mediaProductType().equals("FEED"))
              .count();
      java.util.regex.Matcher skipped =
          java.util.regex.Pattern.compile("media_insights-every-metric-refused=(\\d+)")
              .matcher(airbyte.out());
      assertTrue(skipped.find(), airbyte.out());
      long refusedItems = Long.parseLong(skipped.group(1));
      assertTrue(refusedItems >= videoFeed.size() && refusedItems <= allVideoFeed, airbyte.out());
    }
  }

  private static Set<String> fieldNames(ObjectNode record) {
    Set<String> names = new java.util.TreeSet<>();
    record.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static long count(java.util.function.Predicate<ObjectNode> which) {
    return published.get("media_insights").stream().filter(which).count();
  }

  private static String kindOf(ObjectNode record) {
    MediaItem item = data.mediaItem(record.path("id").asText()).orElseThrow();
    return item.mediaType() + "/" + item.mediaProductType();
  }

  private static Map<String, ObjectNode> byId(List<ObjectNode> records) {
    return records.stream()
        .collect(Collectors.toMap(r -> r.path("id").asText(), Function.identity()));
  }
}
