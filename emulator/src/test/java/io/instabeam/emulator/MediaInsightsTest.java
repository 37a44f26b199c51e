package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MediaInsightsTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  /** Airbyte's metric sets (what Airbyte's connector requests per media kind). */
  static final String REELS =
      "comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares";

  static final String VIDEO_FEED = "reach,saved";
  static final String VIDEO_OTHER = "reach,saved,likes,comments,shares,follows,profile_visits";
  static final String CAROUSEL = "reach,saved,shares,follows,profile_visits";
  static final String IMAGE = "reach,saved,likes,comments,shares,follows,profile_visits";
  static final String STORY = "reach,replies,follows,profile_visits,shares,total_interactions";

  static GraphApiEmulator emu;
  static GraphClient client;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder()
            .seed(11)
            .accounts(3)
            .mediaPerAccount(300)
            .storiesPerAccount(20)
            .now(NOW)
            .build()
            .start();
    client = new GraphClient(emu);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private MediaItem recent(Predicate<MediaItem> p) {
    return emu.dataset().allMedia().stream()
        .filter(m -> m.timestamp().isAfter(NOW.minus(Dataset.MEDIA_INSIGHTS_RETENTION)))
        .filter(m -> !emu.dataset().postedBeforeConversion(m))
        .filter(p)
        .findFirst()
        .orElseThrow();
  }

  private void assertServes(MediaItem m, String metrics) {
    GraphClient.Reply r = client.get("/v23.0/" + m.id() + "/insights?metric=" + metrics);
    assertEquals(200, r.status(), m.mediaType() + "/" + m.mediaProductType() + ": " + r.body());
    JsonNode data = r.json().get("data");
    List<String> names = List.of(metrics.split(","));
    assertEquals(names.size(), data.size());
    for (int i = 0; i < names.size(); i++) {
      JsonNode row = data.get(i);
      assertEquals(names.get(i), row.get("name").asText());
      assertEquals("lifetime", row.get("period").asText());
      assertEquals(
          emu.dataset().mediaInsight(m, names.get(i)),
          row.get("values").get(0).get("value").asLong());
      assertEquals(1, row.get("values").get(0).size());
      assertFalse(row.get("title").asText().isEmpty());
      assertFalse(row.get("description").asText().isEmpty());
      assertEquals(m.id() + "/insights/" + names.get(i) + "/lifetime", row.get("id").asText());
    }
  }

  @Test
  void airbyteMetricSetsAreAcceptedForTheirMediaKinds() {
    assertServes(recent(MediaItem::isReel), REELS);
    assertServes(
        recent(m -> "VIDEO".equals(m.mediaType()) && "FEED".equals(m.mediaProductType())),
        VIDEO_FEED);
    assertServes(
        recent(m -> "VIDEO".equals(m.mediaType()) && "FEED".equals(m.mediaProductType())),
        VIDEO_OTHER);
    assertServes(
        recent(m -> "VIDEO".equals(m.mediaType()) && "AD".equals(m.mediaProductType())),
        VIDEO_OTHER);
    assertServes(
        recent(m -> "IMAGE".equals(m.mediaType()) && "AD".equals(m.mediaProductType())), IMAGE);
    assertServes(recent(MediaItem::isCarousel), CAROUSEL);
    assertServes(
        recent(m -> "IMAGE".equals(m.mediaType()) && "FEED".equals(m.mediaProductType())), IMAGE);
    MediaItem story =
        emu.dataset().users().stream()
            .flatMap(u -> emu.dataset().stories(u.id()).stream())
            .filter(s -> !emu.dataset().storyBelowViewerThreshold(s))
            .findFirst()
            .orElseThrow();
    assertServes(story, STORY);
    // values are stable: reading twice gives the same bytes
    MediaItem reel = recent(MediaItem::isReel);
    assertEquals(
        client.get("/v23.0/" + reel.id() + "/insights?metric=" + REELS).body(),
        client.get("/v23.0/" + reel.id() + "/insights?metric=" + REELS).body());
  }

  @Test
  void metricValidationMatchesMeta() {
    MediaItem reel = recent(MediaItem::isReel);
    MediaItem image =
        recent(m -> "IMAGE".equals(m.mediaType()) && "FEED".equals(m.mediaProductType()));
    assertEquals(
        "(#100) The parameter metric is required",
        client.get("/v23.0/" + image.id() + "/insights").error().get("message").asText());
    for (String deprecated :
        List.of("impressions", "plays", "video_views", "clips_replays_count")) {
      JsonNode e =
          client.get("/v23.0/" + reel.id() + "/insights?metric=reach," + deprecated).error();
      assertEquals(100, e.get("code").asInt(), deprecated);
      assertTrue(e.get("message").asText().contains(deprecated));
    }
    JsonNode e =
        client.get("/v23.0/" + reel.id() + "/insights?metric=reach,profile_visits").error();
    assertEquals(
        "(#100) The Media Insights API does not support the profile_visits metric for this media product type.",
        e.get("message").asText());
    assertEquals(100, e.get("code").asInt());
    JsonNode e2 =
        client.get("/v23.0/" + image.id() + "/insights?metric=ig_reels_avg_watch_time").error();
    assertEquals(
        "(#100) The Media Insights API does not support the ig_reels_avg_watch_time metric for this media product type.",
        e2.get("message").asText());
    JsonNode unknown = client.get("/v23.0/" + image.id() + "/insights?metric=reach,foo").error();
    assertTrue(
        unknown
            .get("message")
            .asText()
            .startsWith("(#100) metric[1] must be one of the following values:"));
  }

  @Test
  void mediaPostedBeforeConversionAnswers2108006LikeMeta() {
    MediaItem pre =
        emu.dataset().allMedia().stream()
            .filter(emu.dataset()::postedBeforeConversion)
            .findFirst()
            .orElseThrow();
    GraphClient.Reply r = client.get("/v23.0/" + pre.id() + "/insights?metric=" + IMAGE);
    assertEquals(400, r.status());
    JsonNode e = r.error();
    assertEquals("Invalid parameter", e.get("message").asText());
    assertEquals("OAuthException", e.get("type").asText());
    assertEquals(100, e.get("code").asInt());
    assertEquals("[[\"\"]]", e.get("error_data").get("blame_field_specs").toString());
    assertEquals(2108006, e.get("error_subcode").asInt());
    assertFalse(e.get("is_transient").asBoolean());
    assertEquals(
        "Media posted before business account conversion", e.get("error_user_title").asText());
    assertEquals(
        "The media was posted before the most recent time that the user's account was converted to a business "
            + "account from a personal account.",
        e.get("error_user_msg").asText());
    List<String> keys =
        List.of(
            "message",
            "type",
            "code",
            "error_data",
            "error_subcode",
            "is_transient",
            "error_user_title",
            "error_user_msg",
            "fbtrace_id");
    assertEquals(keys, iterate(e));
  }

  @Test
  void mediaOlderThanTwoYearsHasEmptyData() {
    MediaItem old =
        emu.dataset().allMedia().stream()
            .filter(m -> m.timestamp().isBefore(NOW.minus(Dataset.MEDIA_INSIGHTS_RETENTION)))
            .filter(
                m ->
                    !emu.dataset().postedBeforeConversion(m) && "FEED".equals(m.mediaProductType()))
            .findFirst()
            .orElseThrow();
    GraphClient.Reply r = client.get("/v23.0/" + old.id() + "/insights?metric=reach,saved");
    assertEquals(200, r.status());
    assertEquals("{\"data\":[]}", r.body());
  }

  @Test
  void carouselChildrenHaveNoInsights() {
    CarouselChild child = recent(MediaItem::isCarousel).children().get(0);
    GraphClient.Reply r = client.get("/v23.0/" + child.id() + "/insights?metric=reach");
    assertEquals(400, r.status());
    assertEquals(100, r.error().get("code").asInt());
  }

  @Test
  void storiesWithFewViewersAnswerCode10() {
    MediaItem few =
        emu.dataset().users().stream()
            .flatMap(u -> emu.dataset().stories(u.id()).stream())
            .filter(emu.dataset()::storyBelowViewerThreshold)
            .findFirst()
            .orElseThrow();
    GraphClient.Reply r = client.get("/v23.0/" + few.id() + "/insights?metric=" + STORY);
    assertEquals(400, r.status());
    assertEquals(10, r.error().get("code").asInt());
    assertEquals(
        "(#10) Not enough viewers for the media to show insights",
        r.error().get("message").asText());
    MediaItem story =
        emu.dataset().users().stream()
            .flatMap(u -> emu.dataset().stories(u.id()).stream())
            .filter(s -> !emu.dataset().storyBelowViewerThreshold(s))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "(#100) The Media Insights API does not support the saved metric for this media product type.",
        client
            .get("/v23.0/" + story.id() + "/insights?metric=reach,saved")
            .error()
            .get("message")
            .asText());
  }

  static List<String> iterate(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void insightValuesArePlausible() {
    for (MediaItem m : emu.dataset().media(emu.dataset().users().get(0).id())) {
      Map<String, Long> v =
          Map.of(
              "reach",
              emu.dataset().mediaInsight(m, "reach"),
              "likes",
              emu.dataset().mediaInsight(m, "likes"));
      assertTrue(v.get("reach") >= v.get("likes"), m.id());
      assertEquals(m.likeCount(), v.get("likes"));
    }
  }
}
