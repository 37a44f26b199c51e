package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.graph.GraphRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user_insights request plan: windows, retention limits, and the days the API no longer serves.
 */
class InsightsWindowsRetentionTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  /**
   * Now minus 30 days: a server that counts the 30 days from the time of the request refuses
   * anything earlier.
   */
  static final Instant THIRTY_DAY_FLOOR = Instant.parse("2026-02-08T12:00:00Z");

  @Test
  void everythingTheApiKeepsCostsTenRequestsThreeWindowsPerReachGroupAndOneForLifetime() {
    List<GraphRequest> requests =
        InsightsWindows.requests("1", NOW.minus(Duration.ofDays(730)), NOW);
    assertEquals(10, requests.size(), requests.toString());
    assertEquals(
        Map.of("day", 3L, "week", 3L, "days_28", 3L, "lifetime", 1L), countByPeriod(requests));
  }

  @Test
  void thirtyDayMetricsStartOnTheFirstWholeHourAnHourAfterNowMinusThirtyDays() {
    Instant now = Instant.parse("2026-03-10T12:34:56Z");
    for (GraphRequest request :
        InsightsWindows.requests("1", now.minus(Duration.ofDays(730)), now)) {
      if (request.params().get("metric").contains("follower_count")) {
        assertEquals(
            Instant.parse("2026-02-08T14:00:00Z").getEpochSecond(),
            since(request),
            request.toString());
      }
    }
  }

  @Test
  void noWindowIsLongerThanThirtyDaysOrEndsAfterNow() {
    for (GraphRequest request :
        InsightsWindows.requests("1", NOW.minus(Duration.ofDays(730)), NOW)) {
      assertTrue(until(request) - since(request) <= 2_592_000, request.toString());
      assertTrue(until(request) <= NOW.getEpochSecond(), request.toString());
    }
  }

  @Test
  void thirtyDayMetricsAreNeverAskedForBeforeNowMinusThirtyDaysAndReachIsAskedForAlone() {
    for (GraphRequest request :
        InsightsWindows.requests("1", NOW.minus(Duration.ofDays(730)), NOW)) {
      String metrics = request.params().get("metric");
      if (metrics.contains("follower_count") || metrics.contains("online_followers")) {
        assertTrue(since(request) >= THIRTY_DAY_FLOOR.getEpochSecond(), request.toString());
      }
      if (since(request) < THIRTY_DAY_FLOOR.getEpochSecond()) {
        assertEquals("reach", metrics, request.toString());
      }
    }
  }

  @Test
  void aDailyRunAsksOnceForEachPeriodGroupFromItsStart() {
    Instant start = Instant.parse("2026-03-07T07:00:00Z");
    List<GraphRequest> requests = InsightsWindows.requests("1", start, NOW);
    assertEquals(4, requests.size());
    requests.forEach(r -> assertEquals(start.getEpochSecond(), since(r)));
    requests.forEach(r -> assertEquals(NOW.getEpochSecond(), until(r)));
  }

  @Test
  void aStartInTheFutureAsksForNothing() {
    assertTrue(InsightsWindows.requests("1", NOW.plusSeconds(1), NOW).isEmpty());
  }

  @Test
  void gapsNameTheDaysEachMetricLostAfterALongPause() {
    Instant now = NOW.plus(Duration.ofDays(45)); // 2026-04-24T12:00
    UserInsightsPlan plan =
        new UserInsightsPlan(
            now,
            NOW.minus(Duration.ofDays(20)),
            Duration.ofDays(2),
            Map.of("1784", Instant.parse("2026-03-10T07:00:00Z")));
    // The 30-day metrics start at 2026-03-25T13:00 (an hour's margin): the point of the 25th
    // (07:00) is lost too.
    LocalDate first = LocalDate.parse("2026-03-11");
    LocalDate last = LocalDate.parse("2026-03-25");
    assertEquals(
        List.of(
            new InsightsWindows.Gap("follower_count", first, last),
            new InsightsWindows.Gap("online_followers", first, last)),
        plan.gaps().get("1784"));
  }

  @Test
  void noGapWhenTheWatermarkIsRecent() {
    UserInsightsPlan plan =
        new UserInsightsPlan(
            NOW,
            NOW.minus(Duration.ofDays(20)),
            Duration.ofDays(2),
            Map.of("1784", NOW.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1))));
    assertTrue(plan.gaps().isEmpty(), plan.gaps().toString());
  }

  @Test
  void anAccountInTheStateStartsAtItsWatermarkMinusTheLookbackButNeverBeforeTheStartDate() {
    UserInsightsPlan plan =
        new UserInsightsPlan(
            NOW,
            Instant.parse("2026-03-08T00:00:00Z"),
            Duration.ofDays(2),
            Map.of(
                "a",
                Instant.parse("2026-03-09T07:00:00Z"),
                "b",
                Instant.parse("2026-03-01T07:00:00Z")));
    assertEquals(Instant.parse("2026-03-08T00:00:00Z"), plan.startFor("a"));
    assertEquals(Instant.parse("2026-03-08T00:00:00Z"), plan.startFor("new"));
    UserInsightsPlan early =
        new UserInsightsPlan(
            NOW,
            Instant.parse("2026-01-01T00:00:00Z"),
            Duration.ofDays(2),
            Map.of("b", Instant.parse("2026-03-01T07:00:00Z")));
    assertEquals(Instant.parse("2026-02-27T07:00:00Z"), early.startFor("b"));
  }

  private static Map<String, Long> countByPeriod(List<GraphRequest> requests) {
    return requests.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                r -> r.params().get("period"), java.util.stream.Collectors.counting()));
  }

  private static long since(GraphRequest request) {
    return Long.parseLong(request.params().get("since"));
  }

  private static long until(GraphRequest request) {
    return Long.parseLong(request.params().get("until"));
  }
}
