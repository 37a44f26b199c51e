package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MediaEdgeTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final String AIRBYTE_MEDIA_FIELDS =
      "caption,comments_count,id,ig_id,is_comment_enabled,like_count,media_type,"
          + "media_product_type,media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username,children";
  static GraphApiEmulator emu;
  static GraphClient client;
  static IgUser user;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder()
            .seed(42)
            .accounts(2)
            .mediaPerAccount(300)
            .storiesPerAccount(6)
            .carouselShare(0.2)
            .childrenPerCarousel(2, 10)
            .reelsShare(0.15)
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

  private List<JsonNode> readAll(String query) {
    List<JsonNode> all = new ArrayList<>();
    String after = null;
    do {
      GraphClient.Reply r =
          client.get(
              "/v23.0/" + user.id() + "/media?" + query + (after == null ? "" : "&after=" + after));
      assertEquals(200, r.status(), r.body());
      r.json().get("data").forEach(all::add);
      JsonNode cursors = r.json().path("paging").path("cursors");
      after = cursors.has("after") ? cursors.get("after").asText() : null;
    } while (after != null);
    return all;
  }

  @Test
  void pagingWalksEveryMediaNewestFirstWithAirbyteFields() {
    List<JsonNode> all = readAll("fields=" + AIRBYTE_MEDIA_FIELDS + "&limit=100");
    List<MediaItem> expected = emu.dataset().media(user.id());
    assertEquals(300, all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonNode m = all.get(i);
      MediaItem e = expected.get(i);
      assertEquals(e.id(), m.get("id").asText());
      assertEquals(GraphTime.format(e.timestamp()), m.get("timestamp").asText());
      assertTrue(
          m.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000"));
      assertTrue(m.get("ig_id").isTextual(), "ig_id is a string on media");
      assertEquals(user.id(), m.get("owner").get("id").asText());
      assertEquals(user.username(), m.get("username").asText());
      assertEquals(e.isCarousel(), m.has("children"), "children only on carousels");
      assertEquals("VIDEO".equals(e.mediaType()), m.has("thumbnail_url"));
      assertTrue(Set.of("FEED", "REELS", "AD").contains(m.get("media_product_type").asText()));
      if (i > 0) {
        assertTrue(
            m.get("timestamp").asText().compareTo(all.get(i - 1).get("timestamp").asText()) <= 0);
      }
    }
    Map<String, Integer> mix = new HashMap<>();
    int withRid = 0;
    for (MediaItem m : emu.dataset().allMedia()) {
      mix.merge(m.mediaType() + "/" + m.mediaProductType(), 1, Integer::sum);
      withRid += m.mediaUrl().contains("_nc_rid=") ? 1 : 0;
      if (m.isCarousel()) {
        assertTrue(m.children().size() >= 2 && m.children().size() <= 10);
        m.children().forEach(c -> assertEquals(m.timestamp(), c.timestamp()));
      }
      if (m.isReel()) {
        assertEquals("VIDEO", m.mediaType());
      }
    }
    assertTrue(
        mix.get("CAROUSEL_ALBUM/FEED") > 80 && mix.get("CAROUSEL_ALBUM/FEED") < 160,
        mix.toString());
    assertTrue(mix.get("VIDEO/REELS") > 60 && mix.get("VIDEO/REELS") < 130, mix.toString());
    assertTrue(mix.get("IMAGE/FEED") > 150 && mix.containsKey("VIDEO/FEED"), mix.toString());
    assertTrue(mix.keySet().stream().anyMatch(k -> k.endsWith("/AD")), mix.toString());
    assertTrue(withRid > 50 && withRid < 400, "some media_url carry _nc_rid: " + withRid);
    Instant oldest = expected.get(expected.size() - 1).timestamp();
    assertTrue(Duration.between(oldest, NOW).toDays() > 2 * 365, "spread over several years");
  }

  @Test
  void limitDefaultsTo25AndIsClampedTo100() {
    assertEquals(25, client.get("/v23.0/" + user.id() + "/media").json().get("data").size());
    assertEquals(
        100, client.get("/v23.0/" + user.id() + "/media?limit=500").json().get("data").size());
    JsonNode idOnly =
        client.get("/v23.0/" + user.id() + "/media?limit=1").json().get("data").get(0);
    assertEquals(1, idOnly.size(), "without fields only id");
  }

  @Test
  void fieldsSelectionReturnsOnlyRequestedFieldsAndId() {
    JsonNode m =
        client
            .get("/v23.0/" + user.id() + "/media?fields=media_type,like_count&limit=5")
            .json()
            .get("data")
            .get(0);
    assertEquals(Set.of("media_type", "like_count", "id"), fieldNames(m));
    JsonNode err = client.get("/v23.0/" + user.id() + "/media?fields=id,bogus").error();
    assertEquals(
        "(#100) Tried accessing nonexisting field (bogus) on node type (IGMedia)",
        err.get("message").asText());
  }

  @Test
  void childrenExpansionAndPlainChildren() {
    MediaItem carousel =
        emu.dataset().media(user.id()).stream()
            .filter(MediaItem::isCarousel)
            .findFirst()
            .orElseThrow();
    JsonNode plain = client.get("/v23.0/" + carousel.id() + "?fields=id,children").json();
    assertEquals(carousel.children().size(), plain.get("children").get("data").size());
    assertEquals(Set.of("id"), fieldNames(plain.get("children").get("data").get(0)));
    JsonNode expanded =
        client
            .get(
                "/v23.0/"
                    + carousel.id()
                    + "?fields=id,children{id,media_type,media_url,timestamp,owner}")
            .json();
    JsonNode child = expanded.get("children").get("data").get(0);
    CarouselChild c = carousel.children().get(0);
    assertEquals(c.id(), child.get("id").asText());
    assertEquals(c.mediaType(), child.get("media_type").asText());
    assertEquals(c.mediaUrl(), child.get("media_url").asText());
    assertEquals(GraphTime.format(carousel.timestamp()), child.get("timestamp").asText());
    // a child is its own node, with the child field list Airbyte asks for
    JsonNode node =
        client
            .get(
                "/v23.0/"
                    + c.id()
                    + "?fields=id,ig_id,media_type,media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username")
            .json();
    assertEquals(c.id(), node.get("id").asText());
    assertEquals(user.id(), node.get("owner").get("id").asText());
    assertFalse(node.has("caption"));
    // non-carousel: no children key at all
    MediaItem image =
        emu.dataset().media(user.id()).stream()
            .filter(m -> !m.isCarousel())
            .findFirst()
            .orElseThrow();
    assertFalse(client.get("/v23.0/" + image.id() + "?fields=id,children").json().has("children"));
  }

  @Test
  void sinceAndUntilFilterOnTimestamp() {
    Instant since = NOW.minus(Duration.ofDays(60));
    Instant until = NOW.minus(Duration.ofDays(10));
    long expected =
        emu.dataset().media(user.id()).stream()
            .filter(m -> !m.timestamp().isBefore(since) && m.timestamp().isBefore(until))
            .count();
    assertTrue(expected > 0);
    List<JsonNode> unix =
        readAll(
            "fields=id,timestamp&since="
                + since.getEpochSecond()
                + "&until="
                + until.getEpochSecond());
    assertEquals(expected, unix.size());
    List<JsonNode> iso =
        readAll(
            "fields=id,timestamp&since="
                + GraphClient.enc("2026-09-30T12:00:00+00:00")
                + "&until="
                + GraphClient.enc("2026-11-19T12:00:00+00:00"));
    assertEquals(expected, iso.size());
  }

  @Test
  void insightsExpansionAndFailureCoupling() {
    List<MediaItem> media = emu.dataset().media(user.id());
    // the newest page holds recent media only: expansion works
    JsonNode page =
        client
            .get(
                "/v23.0/"
                    + user.id()
                    + "/media?fields=id,media_product_type,insights.metric(reach,saved)&limit=5")
            .json();
    assertEquals(5, page.get("data").size());
    for (int i = 0; i < 5; i++) {
      JsonNode rows = page.get("data").get(i).get("insights").get("data");
      assertEquals("reach", rows.get(0).get("name").asText());
      assertEquals(
          emu.dataset().mediaInsight(media.get(i), "reach"),
          rows.get(0).get("values").get(0).get("value").asLong());
    }
    // a page that includes a media posted before the business conversion fails as a whole
    int pre = -1;
    for (int i = 0; i < media.size(); i++) {
      if (emu.dataset().postedBeforeConversion(media.get(i))) {
        pre = i;
        break;
      }
    }
    assertTrue(pre > 0, "the data set has media posted before the conversion");
    String after = Pager.cursor(media.get(pre - 1).id());
    GraphClient.Reply failing =
        client.get(
            "/v23.0/"
                + user.id()
                + "/media?fields=id,insights.metric(reach)&limit=3&after="
                + after);
    assertEquals(400, failing.status());
    assertEquals(2108006, failing.error().get("error_subcode").asInt());
    // and a reel on the page makes a FEED-only metric fail the page
    int reel = -1;
    for (int i = 0; i < 100; i++) {
      if (media.get(i).isReel()) {
        reel = i;
        break;
      }
    }
    String start = reel == 0 ? "" : "&after=" + Pager.cursor(media.get(reel - 1).id());
    GraphClient.Reply coupled =
        client.get(
            "/v23.0/"
                + user.id()
                + "/media?fields=id,insights.metric(reach,profile_visits)&limit=2"
                + start);
    assertEquals(400, coupled.status());
    assertEquals(
        "(#100) The Media Insights API does not support the profile_visits metric for this media product type.",
        coupled.error().get("message").asText());
    // insights without .metric() fails like Meta
    assertEquals(
        "(#100) For field 'insights': The parameter metric is required",
        client
            .get("/v23.0/" + user.id() + "/media?fields=id,insights&limit=2")
            .error()
            .get("message")
            .asText());
  }

  @Test
  void storiesOnlyWithin24HoursOfNow() {
    try (GraphApiEmulator own =
        GraphApiEmulator.builder()
            .seed(3)
            .accounts(1)
            .mediaPerAccount(5)
            .storiesPerAccount(6)
            .now(NOW)
            .build()
            .start()) {
      GraphClient c = new GraphClient(own);
      String id = own.dataset().users().get(0).id();
      JsonNode stories =
          c.get(
                  "/v23.0/"
                      + id
                      + "/stories?fields=caption,id,ig_id,like_count,media_type,media_product_type,"
                      + "media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username&limit=100")
              .json();
      assertEquals(6, stories.get("data").size());
      for (JsonNode s : stories.get("data")) {
        assertEquals("STORY", s.get("media_product_type").asText());
        Instant ts = Instant.from(GraphTime.GRAPH_TIMESTAMP.parse(s.get("timestamp").asText()));
        assertTrue(ts.isAfter(NOW.minus(Duration.ofHours(24))) && !ts.isAfter(NOW));
      }
      // the media edge never lists stories
      JsonNode media = c.get("/v23.0/" + id + "/media?fields=media_product_type&limit=100").json();
      media
          .get("data")
          .forEach(m -> assertFalse("STORY".equals(m.get("media_product_type").asText())));
      own.clock().advance(Duration.ofHours(25));
      assertEquals(0, c.get("/v23.0/" + id + "/stories").json().get("data").size());
      String storyId = own.dataset().stories(id).get(0).id();
      assertEquals(
          33,
          c.get("/v23.0/" + storyId + "/insights?metric=reach")
              .error()
              .get("error_subcode")
              .asInt());
    }
  }

  @Test
  void mediaAfterTheClockDoNotExistYet() {
    try (GraphApiEmulator own =
        GraphApiEmulator.builder()
            .seed(5)
            .accounts(1)
            .mediaPerAccount(50)
            .now(NOW)
            .build()
            .start()) {
      GraphClient c = new GraphClient(own);
      IgUser u = own.dataset().users().get(0);
      Instant back = own.dataset().media(u.id()).get(9).timestamp();
      own.clock().set(back);
      long visible =
          own.dataset().media(u.id()).stream().filter(m -> !m.timestamp().isAfter(back)).count();
      assertEquals(
          visible,
          c.get("/v23.0/" + u.id() + "?fields=media_count").json().get("media_count").asLong());
      assertEquals(
          visible, c.get("/v23.0/" + u.id() + "/media?limit=100").json().get("data").size());
    }
  }

  static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
