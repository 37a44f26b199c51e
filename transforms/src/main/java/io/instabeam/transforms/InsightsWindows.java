package io.instabeam.transforms;

import io.instabeam.graph.GraphRequest;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Plans the {@code user_insights} requests of one account: for each period group (day, week, days_28, lifetime), the
 * range from the account's start to now, cut where a metric's retention begins and into windows of at most 30 days
 * (the API's maximum), so each request asks for every metric the API still serves for its window. Airbyte instead
 * asks for one day per request and clamps every metric to 30 days.
 *
 * <p>Retention, as Meta documents it and the emulator enforces it: {@code reach} is kept for 90 days (older points are
 * simply absent); {@code follower_count} and {@code online_followers} answer only for "the last 30 days excluding the
 * current day", i.e. {@code since} must not be before today's UTC midnight minus 30 days, or the whole request
 * fails. {@code until − since} may be at most 2,592,000 s (exactly 30 days); points are returned for
 * {@code since <= end_time < until}, so {@code until = now} includes today's point once it is there.
 */
public final class InsightsWindows implements Serializable {
  /** The API's maximum distance between since and until. */
  static final Duration MAX_WINDOW = Duration.ofDays(30);
  static final Duration REACH_RETENTION = Duration.ofDays(90);
  static final Duration THIRTY_DAY_RETENTION = Duration.ofDays(30);

  /** One period group of Airbyte's user_insights, the suffix its metric keys get, and its metrics (the catalog's). */
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

  /** The oldest {@code since} the API accepts (or still has points for) for {@code metric} at {@code now}. */
  static Instant oldestServed(String metric, Instant now) {
    return metric.equals("follower_count") || metric.equals("online_followers")
        ? now.truncatedTo(ChronoUnit.DAYS).minus(THIRTY_DAY_RETENTION)
        : now.minus(REACH_RETENTION);
  }

  /** Days of a metric that were due but that the API no longer serves: {@code firstDay..lastDay}, UTC dates. */
  public record Gap(String metric, LocalDate firstDay, LocalDate lastDay) implements Serializable {}

  private InsightsWindows() {}

  /** The requests for {@code accountId} from {@code start} to {@code now}, each metric from its retention on. */
  static List<GraphRequest> requests(String accountId, Instant start, Instant now) {
    List<GraphRequest> requests = new ArrayList<>();
    for (Group group : Group.values()) {
      // Each metric of the group starts at the later of the account's start and its retention limit; between two
      // such starts only the metrics already served are asked for, so no request fails on a too-old since.
      TreeSet<Instant> boundaries = new TreeSet<>();
      group.metrics.forEach(metric -> boundaries.add(startOf(metric, start, now)));
      for (Instant segmentStart : boundaries) {
        Instant next = boundaries.higher(segmentStart);
        Instant segmentEnd = next == null ? now : next;
        List<String> metrics = group.metrics.stream()
            .filter(m -> !startOf(m, start, now).isAfter(segmentStart)).toList();
        for (Instant since = segmentStart; since.isBefore(segmentEnd); since = since.plus(MAX_WINDOW)) {
          Instant until = min(since.plus(MAX_WINDOW), segmentEnd);
          requests.add(GraphRequest.get(accountId + "/insights", accountId)
              .with("metric", String.join(",", metrics)).with("period", group.period)
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
   * The days from {@code firstDue} (the first point not fetched yet: the day after an account's watermark, or its
   * start date) that the API no longer serves at {@code now}, per metric; empty when nothing was lost.
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
