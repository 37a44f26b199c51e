package io.instabeam.transforms;

import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphRequest;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans the {@code user_insights} requests of one account: for each period group (day, week,
 * days_28, lifetime), the range from the account's start to now, cut where a metric's retention
 * begins and into windows of at most 30 days (the API's maximum), so each request asks for every
 * metric the API still serves for its window. Airbyte instead asks for one day per request and
 * clamps every metric to 30 days.
 *
 * <p>Retention, as Meta documents it and the emulator enforces it: {@code reach} is kept for 90
 * days (older points are simply absent); {@code follower_count} and {@code online_followers} answer
 * only for "the last 30 days excluding the current day", or the whole request fails. Whether Meta
 * counts those 30 days from today's UTC midnight or from the time of the request is not documented,
 * and its clock is not ours: so they start {@link #SERVER_CLOCK_MARGIN} after now minus 30 days, on
 * a whole hour (Airbyte starts at now minus 30 days, which is known to work); reach likewise starts
 * an hour after now minus 90 days, so that its windows end where the 30-day metrics begin. A daily
 * point is lost to the margin only when the server would have served it by less than an hour.
 * {@code until − since} may be at most 2,592,000 s (exactly 30 days); points are returned for
 * {@code since <= end_time < until}, so {@code until = now} includes today's point once it is
 * there.
 */
public final class InsightsWindows implements Serializable {
  /** The API's maximum distance between since and until. */
  static final Duration MAX_WINDOW = Duration.ofDays(30);

  static final Duration REACH_RETENTION = Duration.ofDays(90);
  static final Duration THIRTY_DAY_RETENTION = Duration.ofDays(30);

  /**
   * The metrics Meta serves for the last 30 days only (a request reaching further back fails as a
   * whole).
   */
  static final Set<String> THIRTY_DAY_METRICS = Set.of("follower_count", "online_followers");

  /**
   * How much later than now minus 30 days the 30-day metrics start: room for a server clock ahead
   * of ours.
   */
  static final Duration SERVER_CLOCK_MARGIN = Duration.ofHours(1);

  /**
   * One period group of Airbyte's user_insights, the suffix its metric keys get, and its metrics
   * (the catalog's).
   */
  enum Group {
    DAY("day", ""),
    WEEK("week", "_week"),
    DAYS_28("days_28", "_days_28"),
    LIFETIME("lifetime", "");

    final String period;
    final String suffix;
    final List<String> metrics;

    Group(String period, String suffix) {
      this.period = period;
      this.suffix = suffix;
      this.metrics = MetricCatalog.accountTimeSeriesOf(period);
    }

    static String suffixOf(String period) {
      for (Group group : values()) {
        if (group.period.equals(period)) {
          return group.suffix;
        }
      }
      return "";
    }
  }

  /**
   * The oldest {@code since} the API accepts (or still has points for) for {@code metric} at {@code
   * now}.
   */
  static Instant oldestServed(String metric, Instant now) {
    boolean thirtyDays = THIRTY_DAY_METRICS.contains(metric);
    Instant withMargin =
        now.minus(thirtyDays ? THIRTY_DAY_RETENTION : REACH_RETENTION).plus(SERVER_CLOCK_MARGIN);
    Instant hour = withMargin.truncatedTo(ChronoUnit.HOURS);
    return hour.equals(withMargin) ? hour : hour.plus(Duration.ofHours(1));
  }

  /** Meta's answer to a 30-day metric asked for from before its 30 days (by the server's clock). */
  static boolean beforeThirtyDayLimit(GraphApiError error) {
    return error.code() == 100
        && error.message().contains("metric only supports querying data for the last 30 days");
  }

  /**
   * What to ask instead of {@code refused} after {@link #beforeThirtyDayLimit} (the server's clock
   * is further ahead than the margin allows for): the window again from a day later, and its first
   * day for the metrics without the 30-day limit (reach), so only the 30-day metrics lose that day.
   * Empty when nothing would be left to ask.
   */
  static List<GraphRequest> oneDayLater(GraphRequest refused) {
    long since = Long.parseLong(refused.params().get("since"));
    long until = Long.parseLong(refused.params().get("until"));
    long dayLater = since + Duration.ofDays(1).getSeconds();
    List<String> others =
        Arrays.stream(refused.params().get("metric").split(","))
            .filter(metric -> !THIRTY_DAY_METRICS.contains(metric))
            .toList();
    List<GraphRequest> requests = new ArrayList<>();
    if (!others.isEmpty()) {
      requests.add(
          refused
              .with("metric", String.join(",", others))
              .with("until", String.valueOf(Math.min(dayLater, until))));
    }
    if (dayLater < until) {
      requests.add(refused.with("since", String.valueOf(dayLater)));
    }
    return requests;
  }

  /**
   * Days of a metric that were due but that the API no longer serves: {@code firstDay..lastDay},
   * UTC dates.
   */
  public record Gap(String metric, LocalDate firstDay, LocalDate lastDay) implements Serializable {}

  private InsightsWindows() {}

  /**
   * The requests for {@code accountId} from {@code start} to {@code now}, each metric from its
   * retention on.
   */
  static List<GraphRequest> requests(String accountId, Instant start, Instant now) {
    List<GraphRequest> requests = new ArrayList<>();
    for (Group group : Group.values()) {
      // Each metric of the group starts at the later of the account's start and its retention
      // limit; between two
      // such starts only the metrics already served are asked for, so no request fails on a too-old
      // since.
      TreeSet<Instant> boundaries = new TreeSet<>();
      group.metrics.forEach(metric -> boundaries.add(startOf(metric, start, now)));
      for (Instant segmentStart : boundaries) {
        Instant next = boundaries.higher(segmentStart);
        Instant segmentEnd = next == null ? now : next;
        List<String> metrics =
            group.metrics.stream()
                .filter(m -> !startOf(m, start, now).isAfter(segmentStart))
                .toList();
        for (Instant since = segmentStart;
            since.isBefore(segmentEnd);
            since = since.plus(MAX_WINDOW)) {
          Instant until = min(since.plus(MAX_WINDOW), segmentEnd);
          requests.add(
              GraphRequest.get(accountId + "/insights", accountId)
                  .with("metric", String.join(",", metrics))
                  .with("period", group.period)
                  .with("since", String.valueOf(since.getEpochSecond()))
                  .with("until", String.valueOf(until.getEpochSecond())));
        }
      }
    }
    return requests;
  }

  private static Instant startOf(String metric, Instant start, Instant now) {
    Instant oldest = oldestServed(metric, now);
    return start.isAfter(oldest) ? start : oldest;
  }

  /**
   * The days from {@code firstDue} (the first point not fetched yet: the day after an account's
   * watermark, or its start date) that the API no longer serves at {@code now}, per metric; empty
   * when nothing was lost.
   */
  static List<Gap> gaps(Instant firstDue, Instant now) {
    List<Gap> gaps = new ArrayList<>();
    for (String metric : List.of("reach", "follower_count", "online_followers")) {
      Instant oldest = oldestServed(metric, now);
      if (firstDue.isBefore(oldest)) {
        gaps.add(new Gap(metric, utcDate(firstDue), utcDate(oldest.minusSeconds(1))));
      }
    }
    return gaps;
  }

  private static LocalDate utcDate(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
