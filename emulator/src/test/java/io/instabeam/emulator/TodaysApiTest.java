package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph API as of 2026 (Meta's reference pages, 2026-09): the metrics and fields added since
 * 2025, totals per range for the account metrics that have no time series, demographics with a
 * timeframe, and the churn switches.
 */
class TodaysApiTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static GraphApiEmulator emu;
  static GraphClient client;
  static IgUser user;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder()
            .seed(13)
            .accounts(1)
            .mediaPerAccount(200)
            .storiesPerAccount(20)
            .now(NOW)
            .build()
            .start();
    client = new GraphClient(emu);
    user = emu.dataset().users().get(0);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static MediaItem recent(Predicate<MediaItem> p) {
    return emu.dataset().allMedia().stream()
        .filter(m -> m.timestamp().isAfter(NOW.minus(Dataset.MEDIA_INSIGHTS_RETENTION)))
        .filter(m -> !emu.dataset().postedBeforeConversion(m))
        .filter(p)
        .findFirst()
        .orElseThrow();
  }

  private static MediaItem story() {
    return emu.dataset().stories(user.id()).stream()
        .filter(s -> !emu.dataset().storyBelowViewerThreshold(s))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Long> values(GraphClient.Reply reply) {
    assertEquals(200, reply.status(), reply.body());
    Map<String, Long> values = new LinkedHashMap<>();
    reply
        .json()
        .get("data")
        .forEach(
            row ->
                values.put(
                    row.get("name").asText(), row.get("values").get(0).get("value").asLong()));
    return values;
  }

  @Test
  void theMetricsOfTwentyTwentySixAreServedForTheirSurfaces() {
    MediaItem reel = recent(MediaItem::isReel);
    String reels =
        "views,reposts,reels_skip_rate,crossposted_views,facebook_views,total_likes,total_comments,total_views";
    values(client.get("/v25.0/" + reel.id() + "/insights?metric=" + reels))
        .forEach(
            (metric, value) ->
                assertEquals(emu.dataset().mediaInsight(reel, metric), value, metric));
    MediaItem image =
        recent(m -> "IMAGE".equals(m.mediaType()) && "FEED".equals(m.mediaProductType()));
    assertEquals(
        7,
        values(
                client.get(
                    "/v25.0/"
                        + image.id()
                        + "/insights?metric=views,profile_activity,facebook_views,total_likes,total_comments,total_views,reposts"))
            .size());
    MediaItem story = story();
    Map<String, Long> storyValues =
        values(client.get("/v25.0/" + story.id() + "/insights?metric=link_clicks,total_views"));
    assertEquals(emu.dataset().mediaInsight(story, "link_clicks"), storyValues.get("link_clicks"));
    assertEquals(
        "(#100) The Media Insights API does not support the link_clicks metric for this media product type.",
        client
            .get("/v25.0/" + reel.id() + "/insights?metric=reach,link_clicks")
            .error()
            .get("message")
            .asText());
    assertEquals(
        "(#100) The Media Insights API does not support the total_likes metric for this media product type.",
        client
            .get("/v25.0/" + story.id() + "/insights?metric=total_likes")
            .error()
            .get("message")
            .asText());
    MediaItem ad = recent(m -> "AD".equals(m.mediaProductType()));
    assertEquals(
        "(#100) The Media Insights API does not support the views metric for this media product type.",
        client
            .get("/v25.0/" + ad.id() + "/insights?metric=reach,views")
            .error()
            .get("message")
            .asText());
  }

  @Test
  void theNewMediaFieldsAreServedWhereTheyApply() {
    MediaItem video = recent(m -> "VIDEO".equals(m.mediaType()));
    JsonNode node =
        client
            .get(
                "/v25.0/"
                    + video.id()
                    + "?fields=id,reposts_count,saved_count,shares_count,media_audio_type,is_ai_generated")
            .json();
    assertEquals(emu.dataset().mediaInsight(video, "reposts"), node.get("reposts_count").asLong());
    assertEquals(emu.dataset().mediaInsight(video, "saved"), node.get("saved_count").asLong());
    assertEquals(emu.dataset().mediaInsight(video, "shares"), node.get("shares_count").asLong());
    assertTrue(List.of("MUSIC", "ORIGINAL_SOUND").contains(node.get("media_audio_type").asText()));
    assertTrue(node.get("is_ai_generated").isBoolean());
    MediaItem image = recent(m -> "IMAGE".equals(m.mediaType()));
    assertNull(
        client
            .get("/v25.0/" + image.id() + "?fields=id,media_audio_type")
            .json()
            .get("media_audio_type"),
        "images have no audio");
    JsonNode story =
        client.get("/v25.0/" + story().id() + "?fields=id,shares_count,is_ai_generated").json();
    assertNull(story.get("shares_count"));
    assertTrue(story.get("is_ai_generated").isBoolean());
  }

  @Test
  void accountTotalsSumTheDaysOfTheRange() {
    LocalDate day = LocalDate.parse("2026-03-05");
    long end = AccountInsights.endTime(day).getEpochSecond();
    JsonNode row =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=views,accounts_engaged&period=day"
                    + "&metric_type=total_value&since="
                    + (end - 86_400)
                    + "&until="
                    + end)
            .json()
            .get("data")
            .get(0);
    assertEquals("views", row.get("name").asText());
    assertEquals(
        List.of("name", "period", "title", "description", "total_value", "id"),
        MediaInsightsTest.iterate(row));
    assertEquals(
        emu.dataset().accountDailyTotal(user.id(), "views", day),
        row.get("total_value").get("value").asLong());
    JsonNode threeDays =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=likes&period=day"
                    + "&metric_type=total_value&since="
                    + (end - 3 * 86_400)
                    + "&until="
                    + end)
            .json()
            .get("data")
            .get(0);
    long sum = 0;
    for (int i = 0; i < 3; i++) {
      sum += emu.dataset().accountDailyTotal(user.id(), "likes", day.minusDays(i));
    }
    assertEquals(sum, threeDays.get("total_value").get("value").asLong());
  }

  @Test
  void aBreakdownSplitsTheTotalByItsDimension() {
    LocalDate day = LocalDate.parse("2026-03-05");
    long end = AccountInsights.endTime(day).getEpochSecond();
    JsonNode total =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=follows_and_unfollows&period=day"
                    + "&metric_type=total_value&breakdown=follow_type&since="
                    + (end - 86_400)
                    + "&until="
                    + end)
            .json()
            .get("data")
            .get(0)
            .get("total_value");
    JsonNode split = total.get("breakdowns").get(0);
    assertEquals("[\"follow_type\"]", split.get("dimension_keys").toString());
    Map<String, Long> served = new LinkedHashMap<>();
    split
        .get("results")
        .forEach(
            r -> served.put(r.get("dimension_values").get(0).asText(), r.get("value").asLong()));
    assertEquals(
        emu.dataset().accountDailySplit(user.id(), "follows_and_unfollows", "follow_type", day),
        served);
    assertEquals(
        total.get("value").asLong(), served.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(
        "(#100) Incompatible breakdown (contact_button_type) with metric (follows_and_unfollows)",
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=follows_and_unfollows&period=day&metric_type=total_value"
                    + "&breakdown=contact_button_type")
            .error()
            .get("message")
            .asText());
  }

  @Test
  void interactionMetricsHaveNoTimeSeries() {
    assertEquals(
        "(#100) The following metrics (views) should be specified with parameter metric_type=total_value",
        client
            .get("/v25.0/" + user.id() + "/insights?metric=reach,views&period=day")
            .error()
            .get("message")
            .asText());
    assertEquals(
        "(#100) The parameter breakdown is only supported with metric_type=total_value",
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=reach&period=day&breakdown=media_product_type")
            .error()
            .get("message")
            .asText());
  }

  @Test
  void demographicsWithATimeframeAnswerItAsTheirFirstDimension() {
    JsonNode split =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/insights?metric=engaged_audience_demographics"
                    + "&period=lifetime&metric_type=total_value&breakdown=city&timeframe=this_month")
            .json()
            .get("data")
            .get(0)
            .get("total_value")
            .get("breakdowns")
            .get(0);
    assertEquals("[\"timeframe\",\"city\"]", split.get("dimension_keys").toString());
    List<DemographicResult> expected =
        emu.dataset().engagedAudienceDemographics(user.id(), "city", "this_month");
    JsonNode first = split.get("results").get(0);
    assertEquals(
        "[\"this_month\",\"" + expected.get(0).dimensionValues().get(0) + "\"]",
        first.get("dimension_values").toString());
    assertEquals(expected.get(0).value(), first.get("value").asLong());
    String base =
        "/v25.0/"
            + user.id()
            + "/insights?period=lifetime&metric_type=total_value&breakdown=city&metric=";
    assertEquals(
        "(#100) The following metrics (engaged_audience_demographics) should be specified with parameter "
            + "timeframe",
        client.get(base + "engaged_audience_demographics").error().get("message").asText());
    assertEquals(
        "(#100) timeframe must be one of the following values: this_week, this_month",
        client
            .get(base + "engaged_audience_demographics&timeframe=last_30_days")
            .error()
            .get("message")
            .asText());
    assertTrue(
        client
            .get(base + "reached_audience_demographics&timeframe=this_month")
            .error()
            .get("message")
            .asText()
            .startsWith(
                "(#100) metric[0] must be one of the following values: reach, follower_count"));
  }

  @Test
  void removedMetricsAreAnsweredLikeUnknownOnesAndUnsupportedOnesPerKind() {
    try (GraphApiEmulator churned =
        GraphApiEmulator.builder()
            .seed(13)
            .accounts(1)
            .mediaPerAccount(200)
            .now(NOW)
            .removedMetrics("follower_count", "online_followers")
            .unsupportedMetric("shares", "*/FEED")
            .omittedMetric("saved", "IMAGE/FEED")
            .build()
            .start()) {
      GraphClient c = new GraphClient(churned);
      String message =
          c.get("/v25.0/" + user.id() + "/insights?metric=reach,follower_count&period=day")
              .error()
              .get("message")
              .asText();
      assertTrue(
          message.startsWith("(#100) metric[1] must be one of the following values: reach, views,"),
          message);
      assertFalse(message.contains("follower_count"), message);
      assertEquals(
          200, c.get("/v25.0/" + user.id() + "/insights?metric=reach&period=day").status());
      MediaItem image =
          recent(m -> "IMAGE".equals(m.mediaType()) && "FEED".equals(m.mediaProductType()));
      assertEquals(
          "(#100) The Media Insights API does not support the shares metric for this media product type.",
          c.get("/v25.0/" + image.id() + "/insights?metric=reach,shares")
              .error()
              .get("message")
              .asText());
      MediaItem reel = recent(MediaItem::isReel);
      assertEquals(
          200,
          c.get("/v25.0/" + reel.id() + "/insights?metric=reach,shares").status(),
          "REELS keep shares");
      assertEquals(
          List.of("reach"),
          List.copyOf(
              values(c.get("/v25.0/" + image.id() + "/insights?metric=reach,saved")).keySet()),
          "saved is left out of the answer, without an error");
    }
  }

  @Test
  void aVersionPastItsEndIsServedByTheOldestAvailableOneAndTheHeaderSaysSo() {
    assertEquals(
        "v25.0", client.get("/v25.0/" + user.id() + "?fields=id").header("facebook-api-version"));
    assertEquals(
        "v23.0", client.get("/v23.0/" + user.id() + "?fields=id").header("facebook-api-version"));
    GraphClient.Reply expired = client.get("/v21.0/" + user.id() + "?fields=id");
    assertEquals(200, expired.status());
    assertEquals("v22.0", expired.header("facebook-api-version"));
    assertEquals(
        "v25.0", client.get("/" + user.id() + "?fields=id").header("facebook-api-version"));
    emu.clock().set(Instant.parse("2027-06-01T00:00:00Z"));
    try {
      assertEquals(
          "v23.0", client.get("/v22.0/" + user.id() + "?fields=id").header("facebook-api-version"));
    } finally {
      emu.clock().set(NOW);
    }
  }

  @Test
  void churnFlagsConfigureTheSameSwitches() {
    Map<String, String> flags =
        EmulatorMain.parse(
            new String[] {
              "--removed-metrics=follower_count,online_followers",
              "--unsupported=views:VIDEO/FEED,shares:*/REELS",
              "--omitted-metrics=saved:IMAGE/FEED"
            });
    try (GraphApiEmulator e =
        EmulatorMain.configure(flags)
            .seed(13)
            .accounts(1)
            .mediaPerAccount(200)
            .now(NOW)
            .build()
            .start()) {
      GraphClient c = new GraphClient(e);
      assertEquals(
          400,
          c.get("/v25.0/" + user.id() + "/insights?metric=online_followers&period=lifetime")
              .status());
      MediaItem reel = recent(MediaItem::isReel);
      assertEquals(400, c.get("/v25.0/" + reel.id() + "/insights?metric=shares").status());
    }
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> EmulatorMain.configure(EmulatorMain.parse(new String[] {"--unsupported=views"})));
    assertTrue(
        bad.getMessage().contains("--unsupported=views") && bad.getMessage().contains("METRIC:"),
        bad.getMessage());
  }
}
