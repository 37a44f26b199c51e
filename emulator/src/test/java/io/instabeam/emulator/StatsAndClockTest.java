package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StatsAndClockTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void statsEndpointMatchesJavaStats() {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(3)
            .accounts(2)
            .mediaPerAccount(10)
            .now(NOW)
            .callsPerWindow(100)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      c.get("/v23.0/me/accounts");
      c.get("/v23.0/" + u.id() + "?fields=username");
      c.get("/v23.0/" + u.id() + "/media?fields=id");
      c.get("/v23.0/" + u.id() + "/stories");
      c.get("/v23.0/" + u.id() + "/insights?metric=reach&period=day");
      c.get("/v23.0/" + emu.dataset().media(u.id()).get(0).id() + "?fields=id");
      c.get("/v23.0/" + emu.dataset().media(u.id()).get(0).id() + "/insights?metric=reach");
      c.get("/v23.0/me/permissions");
      c.get("/v23.0/debug_token?input_token=x");
      c.get("/v23.0/404");
      GraphClient.Reply statsReply = c.get("/__emulator/stats");
      JsonNode stats = statsReply.json();
      // Everything but the timing profile, which the stats request itself (served between the two
      // reads) moves on.
      ObjectNode java = emu.stats().toJson();
      ObjectNode http = stats.deepCopy();
      assertEquals(
          java.remove("concurrency").get("peak_in_flight"),
          http.remove("concurrency").get("peak_in_flight"));
      assertEquals(Json.string(java), Json.string(http));
      assertEquals(10, stats.get("http_requests").asInt());
      assertEquals(10, stats.get("calls").asInt());
      for (String kind :
          List.of(
              "me/accounts",
              "user",
              "user/media",
              "user/stories",
              "user/insights",
              "media",
              "media/insights",
              "me/permissions",
              "debug_token")) {
        assertTrue(stats.get("requests_by_kind").get(kind).asInt() >= 1, kind);
      }
      assertEquals(
          2, stats.get("requests_by_kind").get("media").asInt(), "unknown id counted as media");
      assertEquals(6, stats.get("calls_by_account").get(u.id()).asInt());
      assertEquals(1, stats.get("errors_by_http_status").get("400").asInt());
      assertEquals(1, stats.get("errors_by_code").get("100").asInt());
      JsonNode usage = stats.get("usage").get("accounts").get(u.id());
      assertEquals(6, usage.get("call_count").asInt());
      assertEquals(0, usage.get("estimated_time_to_regain_access").asInt());
      assertTrue(stats.get("usage").get("app").has("call_count"));
      // recorded requests: version stripped, token never there
      List<RecordedRequest> reqs = emu.requests();
      assertEquals(10, reqs.size());
      RecordedRequest insights = reqs.get(4);
      assertEquals("/" + u.id() + "/insights", insights.path());
      assertEquals("reach", insights.params().get("metric"));
      assertEquals("user/insights", insights.kind());
      assertEquals(u.id(), insights.accountId());
      assertEquals(200, insights.status());
      assertNull(insights.errorCode());
      assertEquals(100, reqs.get(9).errorCode());
      JsonNode recorded = c.get("/__emulator/requests").json();
      assertEquals(10, recorded.size());
      assertEquals("user/insights", recorded.get(4).get("kind").asText());
      // admin endpoints are not API traffic
      assertEquals(10, emu.stats().httpRequests());
      emu.resetStats();
      assertEquals(0, emu.stats().httpRequests());
      assertEquals(0, emu.requests().size());
      c.get("/v23.0/me/accounts");
      assertEquals(200, c.postForm("/__emulator/reset").status());
      assertEquals(0, emu.stats().calls());
      assertEquals(0, emu.stats().usageByAccount().get(u.id()).callCount());
    }
  }

  @Test
  void clockIsFixedAndControllable() {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder().seed(3).accounts(1).mediaPerAccount(3).build().start()) {
      assertEquals(
          GraphApiEmulator.DEFAULT_NOW,
          emu.clock().now(),
          "default clock is fixed, not the wall clock");
      emu.clock().set(NOW);
      assertEquals(NOW, emu.clock().now());
      emu.clock().advance(Duration.ofDays(1));
      assertEquals(NOW.plus(Duration.ofDays(1)), emu.clock().now());
      GraphClient c = new GraphClient(emu);
      assertEquals(
          "2026-12-01T12:00:00Z",
          c.postForm("/__emulator/clock?advance=P1D").json().get("now").asText());
      assertEquals(
          "2025-01-02T03:04:05Z",
          c.postForm("/__emulator/clock?set=2025-01-02T03:04:05Z").json().get("now").asText());
      assertEquals(Instant.parse("2025-01-02T03:04:05Z"), emu.clock().now());
      assertEquals(400, c.postForm("/__emulator/clock?advance=tomorrow").status());
    }
    MovingClock wall = new MovingClock(NOW);
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder().accounts(1).mediaPerAccount(1).wallClock(wall).build()) {
      assertEquals(NOW, emu.clock().now(), "a following clock starts at the wall clock's time");
      wall.move(Duration.ofMinutes(5));
      assertEquals(NOW.plus(Duration.ofMinutes(5)), emu.clock().now(), "and moves with it");
      emu.clock().advance(Duration.ofDays(2));
      wall.move(Duration.ofMinutes(1));
      assertEquals(NOW.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(6)), emu.clock().now());
      emu.clock().set(Instant.parse("2025-01-02T03:04:05Z"));
      wall.move(Duration.ofSeconds(1));
      assertEquals(Instant.parse("2025-01-02T03:04:06Z"), emu.clock().now());
    }
  }

  /** A wall clock that moves only when told to. */
  static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    void move(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void latencyDelaysEachAnswerAndRequestsAreServedConcurrently() throws Exception {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(3)
            .accounts(1)
            .mediaPerAccount(3)
            .now(NOW)
            .latency(Duration.ofMillis(200))
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      getAtOnce(c, "/v23.0/me/accounts", 8);
      EmulatorStats.Concurrency concurrency = emu.stats().concurrency();
      // 8 requests overlap instead of queueing (the served spans say so, whatever the machine's
      // load)
      assertTrue(
          concurrency.peakInFlight() >= 2 && concurrency.peakInFlight() <= 8,
          concurrency.toString());
      // each answer was held back for the latency: a sleep lasts at least as long as asked, on any
      // machine
      assertTrue(concurrency.servingMillis() >= 8 * 200, concurrency.toString());
      assertTrue(concurrency.spanMillis() >= 200, concurrency.toString());
      assertTrue(concurrency.averageInFlight() > 1.5, concurrency.toString());
      assertEquals(10, concurrency.byTenth().size());
      double meanOfTenths =
          concurrency.byTenth().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      assertEquals(
          concurrency.averageInFlight(), meanOfTenths, 0.1, "the tenths add up to the average");
      assertTrue(
          concurrency.byTenth().stream().allMatch(n -> n <= concurrency.peakInFlight() + 0.01),
          concurrency.toString());
      assertEquals(10, emu.stats().toJson().path("concurrency").path("in_flight_by_tenth").size());
      assertEquals(
          concurrency.peakInFlight(),
          emu.stats().toJson().path("concurrency").path("peak_in_flight").asInt());
    }
  }

  @Test
  void thePeakInFlightIsAlsoCountedPerKind() throws Exception {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(3)
            .accounts(1)
            .mediaPerAccount(3)
            .now(NOW)
            .latency(Duration.ofMillis(50))
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      getAtOnce(c, "/v23.0/me/accounts", 4);
      String media = "/v23.0/" + emu.dataset().users().get(0).id() + "/media";
      assertEquals(200, c.get(media).status());
      assertEquals(200, c.get(media).status());
      EmulatorStats.Concurrency concurrency = emu.stats().concurrency();
      // only accounts requests overlapped: their peak is the peak of all; the media ones went one
      // after the other
      assertEquals(
          concurrency.peakInFlight(),
          concurrency.peakInFlight(EndpointKind.ME_ACCOUNTS),
          concurrency.toString());
      assertEquals(1, concurrency.peakInFlight(EndpointKind.USER_MEDIA), concurrency.toString());
      assertEquals(0, concurrency.peakInFlight(EndpointKind.BATCH), concurrency.toString());
      assertEquals(
          1,
          emu.stats()
              .toJson()
              .path("concurrency")
              .path("peak_in_flight_by_kind")
              .path("user/media")
              .asInt());
    }
  }

  /** Sends {@code n} GETs of {@code path} at once and checks that each was answered 200. */
  private static void getAtOnce(GraphClient c, String path, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> c.get(path).status()));
      }
      for (Future<Integer> f : futures) {
        assertEquals(200, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }
}
