package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The knobs for hostile or odd answers, each as the client sees it over HTTP. */
class HostileAnswersTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static GraphApiEmulator start(Faults faults) {
    return GraphApiEmulator.builder()
        .seed(3)
        .accounts(1)
        .mediaPerAccount(6)
        .storiesPerAccount(4)
        .now(NOW)
        .faults(faults)
        .build()
        .start();
  }

  private static String mediaPath(GraphApiEmulator emu) {
    return "/v23.0/" + emu.dataset().users().get(0).id() + "/media?fields=id,timestamp&limit=2";
  }

  @Test
  void aMalformedPageHasNoDataListHalfTheTimeNoKeyAndElseAnObject() {
    try (GraphApiEmulator emu =
        start(Faults.builder().malformedPageRate(1.0).maxConsecutiveFaults(1000).build())) {
      GraphClient client = new GraphClient(emu);
      for (int i = 0; i < 20; i++) {
        JsonNode body = client.get("/v23.0/me/accounts?n=" + i).json();
        assertFalse(body.path("data").isArray(), body.toString());
      }
      assertTrue(
          emu.stats().faults().get("page_without_data") > 0, emu.stats().faults().toString());
      assertTrue(
          emu.stats().faults().get("page_data_not_a_list") > 0, emu.stats().faults().toString());
      assertTrue(client.get("/v23.0/me").json().has("id"), "a node is left alone");
    }
  }

  @Test
  void aSelfPointingPageNamesItsOwnCursorAsTheNextOne() {
    try (GraphApiEmulator emu = start(Faults.builder().selfPointingPages(true).build())) {
      GraphClient client = new GraphClient(emu);
      String after =
          client.get(mediaPath(emu)).json().path("paging").path("cursors").path("after").asText();
      JsonNode second = client.get(mediaPath(emu) + "&after=" + after).json();
      assertEquals(after, second.path("paging").path("cursors").path("after").asText());
      assertTrue(
          second.path("paging").path("next").asText().contains("after=" + after),
          second.toString());
    }
  }

  @Test
  void aRepeatedItemStartsTheNextPageAgain() {
    try (GraphApiEmulator emu = start(Faults.builder().repeatedItemsAcrossPages(true).build())) {
      GraphClient client = new GraphClient(emu);
      JsonNode first = client.get(mediaPath(emu)).json();
      String after = first.path("paging").path("cursors").path("after").asText();
      JsonNode second = client.get(mediaPath(emu) + "&after=" + after).json();
      assertEquals(first.path("data").get(1).path("id"), second.path("data").get(0).path("id"));
    }
  }

  @Test
  void oddItemsHaveANullIdANumericIdAndAnUnreadableTimestamp() {
    try (GraphApiEmulator emu = start(Faults.builder().oddItems(true).build())) {
      JsonNode data =
          new GraphClient(emu)
              .get(mediaPath(emu).replace("limit=2", "limit=5"))
              .json()
              .path("data");
      List<MediaItem> media = emu.dataset().media(emu.dataset().users().get(0).id());
      assertEquals(media.get(0).id(), data.get(0).path("id").asText());
      assertTrue(data.get(1).path("id").isNull(), data.toString());
      assertTrue(data.get(2).path("id").isNumber(), data.toString());
      assertEquals(media.get(2).id(), data.get(2).path("id").asText());
      assertEquals("last Tuesday", data.get(3).path("timestamp").asText());
    }
  }

  @Test
  void swappedBatchAnswersGiveTwoObjectsEachOthersInsightsOncePerPair() {
    try (GraphApiEmulator emu =
        start(Faults.builder().swappedBatchAnswersRate(1.0).maxConsecutiveFaults(1).build())) {
      List<MediaItem> media = emu.dataset().media(emu.dataset().users().get(0).id());
      String batch =
          "[{\"method\":\"GET\",\"relative_url\":\"v23.0/"
              + media.get(0).id()
              + "/insights?metric=reach\"},"
              + "{\"method\":\"GET\",\"relative_url\":\"v23.0/"
              + media.get(1).id()
              + "/insights?metric=reach\"}]";
      GraphClient client = new GraphClient(emu);
      JsonNode swapped = client.postForm("/v23.0/", "batch", batch).json();
      assertTrue(
          swapped.get(0).path("body").asText().contains(media.get(1).id() + "/insights/reach"),
          swapped.toString());
      JsonNode again = client.postForm("/v23.0/", "batch", batch).json();
      assertTrue(
          again.get(0).path("body").asText().contains(media.get(0).id() + "/insights/reach"),
          again.toString());
      assertEquals(1, emu.stats().faults().get("swapped_batch_answers"));
    }
  }

  @Test
  void slowHeadersAndTrickledBodiesStillDeliverTheAnswer() {
    try (GraphApiEmulator emu =
        start(
            Faults.builder()
                .slowHeadersRate(0.5)
                .slowHeadersDelay(Duration.ofMillis(50))
                .trickledBodyRate(0.5)
                .trickleByteDelay(Duration.ofMillis(1))
                .build())) {
      GraphClient client = new GraphClient(emu);
      for (int i = 0; i < 6; i++) {
        assertEquals(200, client.get("/v23.0/me/accounts?n=" + i).status());
      }
      assertEquals(6, emu.stats().faults().values().stream().mapToLong(Long::longValue).sum());
    }
  }

  @Test
  void rateLimitedAnswersCarryTheRegainTimeAndRetryAfterGiven() {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(3)
            .accounts(1)
            .mediaPerAccount(2)
            .now(NOW)
            .callsPerWindow(1)
            .faults(Faults.builder().regainAccessMinutes(1440).retryAfterSeconds(86400).build())
            .build()
            .start()) {
      String user = "/v23.0/" + emu.dataset().users().get(0).id() + "?fields=id";
      GraphClient client = new GraphClient(emu);
      client.get(user);
      GraphClient.Reply refused = client.get(user);
      assertEquals(80002, refused.error().path("code").asInt());
      assertEquals("86400", refused.header("Retry-After"));
      assertTrue(
          refused
              .header("X-Business-Use-Case-Usage")
              .contains("\"estimated_time_to_regain_access\":1440"),
          refused.header("X-Business-Use-Case-Usage"));
    }
  }

  @Test
  void aStrictThirtyDayLimitCountsFromTheRequestsTime() {
    long fromMidnight =
        NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS)
            .minus(Duration.ofDays(30))
            .getEpochSecond();
    String query =
        "/insights?metric=follower_count&period=day&since="
            + fromMidnight
            + "&until="
            + (fromMidnight + Duration.ofDays(30).getSeconds());
    try (GraphApiEmulator lenient = start(Faults.none());
        GraphApiEmulator strict =
            GraphApiEmulator.builder()
                .seed(3)
                .accounts(1)
                .mediaPerAccount(1)
                .now(NOW)
                .strictThirtyDays()
                .build()
                .start()) {
      String account = "/v23.0/" + lenient.dataset().users().get(0).id();
      assertEquals(200, new GraphClient(lenient).get(account + query).status());
      GraphClient.Reply refused =
          new GraphClient(strict).get("/v23.0/" + strict.dataset().users().get(0).id() + query);
      assertEquals(400, refused.status());
      assertTrue(
          refused
              .error()
              .path("message")
              .asText()
              .contains("only supports querying data for the last 30 days"));
    }
  }
}
