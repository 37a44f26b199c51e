package io.instabeam.transforms;

import io.instabeam.graph.GraphRequest;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Plans the {@code user_insights} requests of one account: for each period group (day, week, days_28, lifetime), the
 * range from the account's start to now, cut where a metric's retention begins and into windows of at most 30 days
 * (the API's maximum), so each request asks for every metric the API still serves for its window. Airbyte instead
 * asks for one day per request and clamps every metric to 30 days.
 */
public final class InsightsWindows implements Serializable {
  /** The API's maximum distance between since and until. */
  static final Duration MAX_WINDOW = Duration.ofDays(30);

  /** One period group of Airbyte's user_insights, and the suffix its metric keys get. */
  enum Group {
    DAY("day", "", List.of("follower_count", "reach")),
    WEEK("week", "_week", List.of("reach")),
    DAYS_28("days_28", "_days_28", List.of("reach")),
    LIFETIME("lifetime", "", List.of("online_followers"));

    final String period;
    final String suffix;
    final List<String> metrics;

    Group(String period, String suffix, List<String> metrics) {
      this.period = period;
      this.suffix = suffix;
      this.metrics = metrics;
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

  /** How far back the API serves a metric: account metrics 90 days; these two only the last 30 days. */
  static Instant oldestServed(String metric, Instant now) {
    return metric.equals("follower_count") || metric.equals("online_followers")
        ? now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(30))
        : now.minus(Duration.ofDays(90));
  }

  /** A metric whose requested range starts before the API's retention: those days can no longer be fetched. */
  public record Gap(String metric, String period, Instant from, Instant until) {}

  private InsightsWindows() {}

  /** The requests for {@code accountId} from {@code start} to {@code now}. */
  static List<GraphRequest> requests(String accountId, Instant start, Instant now) {
    List<GraphRequest> requests = new ArrayList<>();
    for (Group group : Group.values()) {
      TreeSet<Instant> boundaries = new TreeSet<>();
      group.metrics.forEach(metric -> boundaries.add(max(start, oldestServed(metric, now))));
      for (Instant segmentStart : boundaries) {
        Instant segmentEnd = boundaries.higher(segmentStart) == null ? now : boundaries.higher(segmentStart);
        List<String> metrics = group.metrics.stream()
            .filter(m -> !max(start, oldestServed(m, now)).isAfter(segmentStart)).toList();
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

  /** The metrics whose range from {@code start} reaches back before what the API still serves. */
  static List<Gap> gaps(Instant start, Instant now) {
    List<Gap> gaps = new ArrayList<>();
    for (Group group : Group.values()) {
      for (String metric : group.metrics) {
        Instant oldest = oldestServed(metric, now);
        if (start.isBefore(oldest)) {
          gaps.add(new Gap(metric, group.period, start, oldest));
        }
      }
    }
    return gaps;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
