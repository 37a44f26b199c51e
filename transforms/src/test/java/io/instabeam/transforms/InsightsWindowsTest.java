package io.instabeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.graph.GraphRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The user_insights request plan: windows of at most 30 days (the API's maximum), within each
 * metric's retention (90 days; 30 days for follower_count and online_followers, each met with a
 * margin of an hour for a server clock ahead of ours, on a whole hour), without gaps.
 */
class InsightsWindowsTest {
  private static final String ACCOUNT = "17841400000000011";

  /** Not midnight, so day-aligned and instant-aligned boundaries differ. */
  private static final Instant NOW = Instant.parse("2024-01-15T12:00:00Z");

  private static final List<String> THIRTY_DAY_METRICS =
      List.of("follower_count", "online_followers");

  /** One planned request, decoded. */
  private record Window(String period, List<String> metrics, Instant since, Instant until) {
    static Window of(GraphRequest request) {
      return new Window(
          request.params().get("period"),
          List.of(request.params().get("metric").split(",")),
          Instant.ofEpochSecond(Long.parseLong(request.params().get("since"))),
          Instant.ofEpochSecond(Long.parseLong(request.params().get("until"))));
    }

    @Override
    public String toString() {
      return period + " " + String.join(",", metrics) + " " + since + ".." + until;
    }
  }

  private static List<Window> plan(Instant start, Instant now) {
    List<Window> windows = new ArrayList<>();
    for (GraphRequest request : InsightsWindows.requests(ACCOUNT, start, now)) {
      assertEquals(ACCOUNT + "/insights", request.path());
      assertEquals(ACCOUNT, request.accountId());
      windows.add(Window.of(request));
    }
    return windows;
  }

  /**
   * The oldest instant asked for {@code metric}, from the retention rules (not from the code under
   * test): the first whole hour at least an hour after now minus its retention.
   */
  private static Instant retention(String metric, Instant now) {
    Instant limit = now.minus(Duration.ofDays(THIRTY_DAY_METRICS.contains(metric) ? 30 : 90));
    return limit.plus(Duration.ofMinutes(119)).truncatedTo(ChronoUnit.HOURS);
  }

  static Stream<Instant> starts() {
    return Stream.of(
        NOW.minus(Duration.ofDays(400)),
        NOW.minus(Duration.ofDays(90)),
        NOW.minus(Duration.ofDays(61)),
        NOW.minus(Duration.ofDays(45)),
        NOW.minus(Duration.ofDays(31)),
        NOW.minus(Duration.ofDays(30)),
        Instant.parse("2023-12-25T03:17:00Z"),
        NOW.minus(Duration.ofDays(1)),
        NOW.minus(Duration.ofMinutes(5)));
  }

  @Test
  void ninetyDaysCostAtMostTwelveRequests() {
    assertThat(plan(NOW.minus(Duration.ofDays(90)), NOW).size(), lessThanOrEqualTo(12));
  }

  @Test
  void ninetyDaysAreExactlyTheseWindows() {
    assertThat(
        plan(NOW.minus(Duration.ofDays(90)), NOW).stream().map(Window::toString).toList(),
        containsInAnyOrder(
            "day reach 2023-10-17T13:00:00Z..2023-11-16T13:00:00Z",
            "day reach 2023-11-16T13:00:00Z..2023-12-16T13:00:00Z",
            "day follower_count,reach 2023-12-16T13:00:00Z..2024-01-15T12:00:00Z",
            "week reach 2023-10-17T13:00:00Z..2023-11-16T13:00:00Z",
            "week reach 2023-11-16T13:00:00Z..2023-12-16T13:00:00Z",
            "week reach 2023-12-16T13:00:00Z..2024-01-15T12:00:00Z",
            "days_28 reach 2023-10-17T13:00:00Z..2023-11-16T13:00:00Z",
            "days_28 reach 2023-11-16T13:00:00Z..2023-12-16T13:00:00Z",
            "days_28 reach 2023-12-16T13:00:00Z..2024-01-15T12:00:00Z",
            "lifetime online_followers 2023-12-16T13:00:00Z..2024-01-15T12:00:00Z"));
  }

  @Test
  void aStartBeyondRetentionCostsNoMoreThanNinetyDays() {
    assertEquals(
        plan(NOW.minus(Duration.ofDays(90)), NOW).size(),
        plan(NOW.minus(Duration.ofDays(730)), NOW).size());
  }

  @ParameterizedTest
  @MethodSource("starts")
  void noWindowIsLongerThanThirtyDays(Instant start) {
    for (Window window : plan(start, NOW)) {
      assertFalse(
          Duration.between(window.since(), window.until()).compareTo(Duration.ofDays(30)) > 0,
          window::toString);
    }
  }

  @ParameterizedTest
  @MethodSource("starts")
  void noWindowIsEmptyOrReversed(Instant start) {
    for (Window window : plan(start, NOW)) {
      assertTrue(window.since().isBefore(window.until()), window::toString);
    }
  }

  @ParameterizedTest
  @MethodSource("starts")
  void noMetricIsRequestedBeforeItsRetention(Instant start) {
    for (Window window : plan(start, NOW)) {
      for (String metric : window.metrics()) {
        assertFalse(
            window.since().isBefore(retention(metric, NOW)), () -> metric + " in " + window);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("starts")
  void noThirtyDayMetricIsRequestedBeforeItsRetention(Instant start) {
    Instant oldest = Instant.parse("2023-12-16T00:00:00Z");
    for (Window window : plan(start, NOW)) {
      if (window.metrics().stream().anyMatch(THIRTY_DAY_METRICS::contains)) {
        assertFalse(window.since().isBefore(oldest), window::toString);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("starts")
  void consecutiveWindowsOfEachMetricLeaveNoGapFromStartToNow(Instant start) {
    List<Window> windows = plan(start, NOW);
    for (InsightsWindows.Group group : InsightsWindows.Group.values()) {
      for (String metric : group.metrics) {
        List<Window> covering =
            windows.stream()
                .filter(w -> w.period().equals(group.period) && w.metrics().contains(metric))
                .sorted(Comparator.comparing(Window::since))
                .toList();
        Instant from = start.isAfter(retention(metric, NOW)) ? start : retention(metric, NOW);
        assertEquals(from, covering.get(0).since(), metric + "/" + group.period + " starts");
        for (int i = 1; i < covering.size(); i++) {
          assertEquals(
              covering.get(i - 1).until(),
              covering.get(i).since(),
              metric + "/" + group.period + " continues");
        }
        assertEquals(
            NOW,
            covering.get(covering.size() - 1).until(),
            metric + "/" + group.period + " ends now");
      }
    }
  }

  @Test
  void aOneDayIncrementalRunMakesOneRequestPerGroup() {
    Instant start = NOW.minus(Duration.ofDays(1));
    assertThat(
        plan(start, NOW).stream().map(Window::toString).toList(),
        containsInAnyOrder(
            "day follower_count,reach 2024-01-14T12:00:00Z..2024-01-15T12:00:00Z",
            "week reach 2024-01-14T12:00:00Z..2024-01-15T12:00:00Z",
            "days_28 reach 2024-01-14T12:00:00Z..2024-01-15T12:00:00Z",
            "lifetime online_followers 2024-01-14T12:00:00Z..2024-01-15T12:00:00Z"));
  }

  @Test
  void aStartInTheFutureMakesNoRequest() {
    assertThat(plan(NOW.plus(Duration.ofDays(1)), NOW), empty());
  }

  @Test
  void aStartOfNowMakesNoRequest() {
    assertThat(plan(NOW, NOW), empty());
  }
}
