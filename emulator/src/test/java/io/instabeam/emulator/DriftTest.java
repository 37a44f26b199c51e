package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * As the emulator's clock advances, engagement keeps coming (more for young posts) and accounts
 * keep posting.
 */
class DriftTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void advancingTheClockMovesYoungPostsMoreThanOldOnes() {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(11)
            .accounts(1)
            .mediaPerAccount(400)
            .now(NOW)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      String account = emu.dataset().users().get(0).id();
      Map<String, Long> before = likes(c, account);
      assertEquals(
          NOW.toString(),
          c.get("/__emulator/clock").json().get("now").asText(),
          "a GET moves nothing");
      assertEquals(
          NOW.plus(Duration.ofDays(1)).toString(),
          c.postForm("/__emulator/clock?advance=P1D").json().get("now").asText());
      Map<String, Long> after = likes(c, account);

      double young = 0;
      double old = 0;
      int youngCount = 0;
      int oldCount = 0;
      for (MediaItem m : emu.dataset().media(account)) {
        if (m.likeCount() < 50) {
          continue; // rounding hides the tail of small counts
        }
        double growth = (after.get(m.id()) - before.get(m.id())) / (double) before.get(m.id());
        assertTrue(growth >= 0, "likes never fall: " + m.id());
        if (m.timestamp().isAfter(NOW.minus(Duration.ofDays(7)))) {
          young += growth;
          youngCount++;
        } else if (m.timestamp().isBefore(NOW.minus(Duration.ofDays(365)))) {
          old += growth;
          oldCount++;
        }
      }
      assertTrue(youngCount > 0 && oldCount > 0, youngCount + " young, " + oldCount + " old posts");
      assertTrue(
          young / youngCount > 20 * (old / oldCount),
          "young posts grow faster: " + young / youngCount + " vs " + old / oldCount);
    }
  }

  @Test
  void insightsMoveWithEngagementAndMatchTheDatasetAtThatTime() {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(11)
            .accounts(1)
            .mediaPerAccount(100)
            .now(NOW)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      MediaItem newest = emu.dataset().media(emu.dataset().users().get(0).id()).get(0);
      long reachNow =
          c.get("/v23.0/" + newest.id() + "/insights?metric=reach")
              .json()
              .at("/data/0/values/0/value")
              .asLong();
      assertEquals(
          emu.dataset().mediaInsight(newest, "reach"),
          reachNow,
          "an unmoved clock serves the generated data");
      c.postForm("/__emulator/clock?advance=P2D");
      long reachLater =
          c.get("/v23.0/" + newest.id() + "/insights?metric=reach")
              .json()
              .at("/data/0/values/0/value")
              .asLong();
      assertTrue(reachLater > reachNow, reachNow + " -> " + reachLater);
      assertEquals(
          emu.dataset().mediaInsight(emu.dataset().asOf(newest, emu.clock().now()), "reach"),
          reachLater);
    }
  }

  @Test
  void accountsKeepPostingAsTheClockAdvancesTheSameWayForTheSameSeed() {
    List<String> first = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (GraphApiEmulator emu =
          GraphApiEmulator.builder()
              .seed(11)
              .accounts(1)
              .mediaPerAccount(100)
              .now(NOW)
              .build()
              .start()) {
        GraphClient c = new GraphClient(emu);
        String account = emu.dataset().users().get(0).id();
        List<String> published = ids(c, account);
        assertEquals(100, published.size());
        c.postForm("/__emulator/clock?advance=P30D");
        List<String> later = ids(c, account);
        List<String> appeared = later.subList(0, later.size() - 100);
        assertFalse(appeared.isEmpty(), "a month brings new posts");
        assertEquals(
            published,
            later.subList(appeared.size(), later.size()),
            "new posts come first, newest first");
        assertEquals(
            later.size(),
            c.get("/v23.0/" + account + "?fields=media_count").json().get("media_count").asLong());
        if (run == 0) {
          first.addAll(appeared);
        } else {
          assertEquals(first, appeared, "new posts are a function of the seed");
        }
      }
    }
    try (GraphApiEmulator other =
        GraphApiEmulator.builder().seed(12).accounts(1).mediaPerAccount(100).now(NOW).build()) {
      String account = other.dataset().users().get(0).id();
      assertNotEquals(
          first.get(0), other.dataset().media(account, NOW.plus(Duration.ofDays(30))).get(0).id());
    }
  }

  private static Map<String, Long> likes(GraphClient c, String account) {
    Map<String, Long> likes = new LinkedHashMap<>();
    page(c, "/v23.0/" + account + "/media?fields=id,like_count&limit=100")
        .forEach(m -> likes.put(m.get("id").asText(), m.get("like_count").asLong()));
    return likes;
  }

  private static List<String> ids(GraphClient c, String account) {
    List<String> ids = new ArrayList<>();
    page(c, "/v23.0/" + account + "/media?fields=id&limit=100")
        .forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  private static List<JsonNode> page(GraphClient c, String first) {
    List<JsonNode> items = new ArrayList<>();
    String next = first;
    while (next != null) {
      JsonNode page = c.get(next).json();
      page.get("data").forEach(items::add);
      JsonNode link = page.path("paging").path("next");
      next = link.isTextual() ? link.asText().replaceFirst("^https?://[^/]+", "") : null;
    }
    return items;
  }
}
