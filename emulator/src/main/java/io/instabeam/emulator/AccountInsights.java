package io.instabeam.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /{ig-user-id}/insights}. Daily data points carry {@code end_time =
 * <day>T07:00:00+0000} (Meta ends its days at midnight Pacific); a time series returns every point
 * whose end_time lies in [since, until) and is not in the future; {@code metric_type=total_value}
 * answers one total for the range: the sum of the days whose 24 hours lie within [since, until],
 * split by a breakdown if one is given. Only {@code reach} and the follower metrics answer time
 * series; the interaction metrics ({@code views}, {@code accounts_engaged}, …) only totals. Without
 * since/until the range is the last two days up to now.
 */
final class AccountInsights {
  static final Duration MAX_RANGE = Duration.ofSeconds(2_592_000);

  /**
   * "User Metrics data is stored for up to 90 days" (follower_count and online_followers: 30, see
   * the check).
   */
  static final Duration RETENTION = Duration.ofDays(90);

  private static final LocalTime DAY_END = LocalTime.of(7, 0);

  private final Dataset data;
  private final MetricChurn churn;
  private final boolean strictThirtyDays;

  /**
   * With {@code strictThirtyDays}, follower_count and online_followers refuse a {@code since}
   * before exactly now minus 30 days (as an API counting from the request's time does); otherwise
   * before today's UTC midnight minus 30 days.
   */
  AccountInsights(Dataset data, MetricChurn churn, boolean strictThirtyDays) {
    this.data = data;
    this.churn = churn;
    this.strictThirtyDays = strictThirtyDays;
  }

  ObjectNode render(IgUser user, GraphRequest req, Instant now, String baseUrl) {
    List<String> metrics = MediaInsights.metricList(req.param("metric"));
    if (metrics.isEmpty()) {
      throw GraphError.invalidParameter("The parameter metric is required");
    }
    List<String> known =
        churn.served(new ArrayList<>(MetricCatalog.ACCOUNT_METRIC_PERIODS.keySet()));
    for (int i = 0; i < metrics.size(); i++) {
      String metric = metrics.get(i);
      if (MetricCatalog.REMOVED_ACCOUNT_METRICS.contains(metric)) {
        throw GraphError.invalidParameter(
            "The " + metric + " metric is no longer supported in this version of the API.");
      }
      if (!known.contains(metric)) {
        throw GraphError.invalidParameter(
            "metric[" + i + "] must be one of the following values: " + String.join(", ", known));
      }
    }
    String period = req.param("period");
    if (period == null) {
      throw GraphError.invalidParameter("The parameter period is required");
    }
    if (!MetricCatalog.PERIODS.contains(period)) {
      throw GraphError.invalidParameter(
          "period must be one of the following values: "
              + String.join(", ", MetricCatalog.PERIODS));
    }
    for (String metric : metrics) {
      if (!MetricCatalog.ACCOUNT_METRIC_PERIODS.get(metric).contains(period)) {
        throw GraphError.invalidParameter(
            "Incompatible metric (" + metric + ") with period (" + period + ")");
      }
    }
    String metricType = req.param("metric_type");
    if (metricType != null
        && !metricType.equals("time_series")
        && !metricType.equals("total_value")) {
      throw GraphError.invalidParameter(
          "metric_type must be one of the following values: time_series, total_value");
    }
    if (metrics.stream().anyMatch(MetricCatalog.DEMOGRAPHIC_TIMEFRAMES::containsKey)) {
      return demographics(
          user, metrics, metricType, req.param("breakdown"), req.param("timeframe"));
    }
    boolean totals = "total_value".equals(metricType);
    for (String metric : metrics) {
      if (MetricCatalog.TOTAL_VALUE_BREAKDOWNS.containsKey(metric) && !totals) {
        throw GraphError.invalidParameter(
            "The following metrics ("
                + metric
                + ") should be specified with parameter metric_type=total_value");
      }
    }
    String breakdown = req.param("breakdown");
    if (breakdown != null) {
      if (!totals) {
        throw GraphError.invalidParameter(
            "The parameter breakdown is only supported with metric_type=total_value");
      }
      for (String metric : metrics) {
        if (!breakdownsOf(metric).contains(breakdown)) {
          throw GraphError.invalidParameter(
              "Incompatible breakdown (" + breakdown + ") with metric (" + metric + ")");
        }
      }
    }
    Instant until = req.param("until") == null ? now : GraphTime.parse("until", req.param("until"));
    Instant since =
        req.param("since") == null
            ? until.minus(Duration.ofDays(2))
            : GraphTime.parse("since", req.param("since"));
    if (Duration.between(since, until).compareTo(MAX_RANGE) > 0) {
      throw GraphError.invalidParameter(
          "There cannot be more than 30 days (2592000 s) between since and until");
    }
    Instant thirtyDayFloor =
        (strictThirtyDays ? now : now.truncatedTo(ChronoUnit.DAYS)).minus(Duration.ofDays(30));
    for (String metric : metrics) {
      if (MetricCatalog.THIRTY_DAY_METRICS.contains(metric) && since.isBefore(thirtyDayFloor)) {
        throw GraphError.invalidParameter(
            "("
                + metric
                + ") metric only supports querying data for the last 30 days excluding the current day");
      }
    }
    // A time series has the points whose end_time lies in [since, until); a total sums the days
    // whose 24 hours lie
    // within [since, until] (a day's activity ends at its end_time).
    List<LocalDate> days = new ArrayList<>();
    LocalDate day = LocalDate.ofInstant(since, ZoneOffset.UTC).minusDays(1);
    for (; !endTime(day).isAfter(until.plus(Duration.ofDays(1))); day = day.plusDays(1)) {
      Instant end = endTime(day);
      boolean inRange =
          totals
              ? !end.minus(Duration.ofDays(1)).isBefore(since) && !end.isAfter(until)
              : !end.isBefore(since) && end.isBefore(until);
      if (inRange && !end.isAfter(now)) {
        days.add(day);
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode rows = body.putArray("data");
    for (String metric : metrics) {
      ObjectNode row = rows.addObject();
      row.put("name", metric);
      row.put("period", period);
      List<LocalDate> kept = new ArrayList<>();
      for (LocalDate d : days) {
        // Account metrics are stored for 90 days; older points simply are not there any more.
        if (MetricCatalog.THIRTY_DAY_METRICS.contains(metric)
            || !endTime(d).isBefore(now.minus(RETENTION))) {
          kept.add(d);
        }
      }
      String[] title = MetricCatalog.accountTitle(metric, period);
      if (totals) {
        row.put("title", title[0]);
        row.put("description", title[1]);
        ObjectNode total = row.putObject("total_value");
        long sum = 0;
        Map<String, Long> split = new LinkedHashMap<>();
        for (LocalDate d : kept) {
          sum += value(user, metric, period, d);
          if (breakdown != null) {
            data.accountDailySplit(user.id(), metric, breakdown, d)
                .forEach((k, v) -> split.merge(k, v, Long::sum));
          }
        }
        total.put("value", sum);
        if (breakdown != null) {
          ObjectNode split0 = total.putArray("breakdowns").addObject();
          split0.putArray("dimension_keys").add(breakdown);
          ArrayNode results = split0.putArray("results");
          split.forEach(
              (k, v) -> {
                ObjectNode result = results.addObject();
                result.putArray("dimension_values").add(k);
                result.put("value", v);
              });
        }
      } else {
        ArrayNode values = row.putArray("values");
        for (LocalDate d : kept) {
          ObjectNode v = values.addObject();
          if ("online_followers".equals(metric)) {
            v.set("value", Json.MAPPER.valueToTree(data.onlineFollowers(user.id(), d)));
          } else {
            v.put("value", value(user, metric, period, d));
          }
          v.put("end_time", GraphTime.format(endTime(d)));
        }
        row.put("title", title[0]);
        row.put("description", title[1]);
      }
      row.put("id", user.id() + "/insights/" + metric + "/" + period);
    }
    long span = Duration.between(since, until).getSeconds();
    ObjectNode paging = body.putObject("paging");
    paging.put(
        "previous", timeLink(req, baseUrl, since.getEpochSecond() - span, since.getEpochSecond()));
    paging.put(
        "next", timeLink(req, baseUrl, until.getEpochSecond(), until.getEpochSecond() + span));
    return body;
  }

  /** The breakdowns a metric accepts with {@code metric_type=total_value}. */
  private static java.util.Set<String> breakdownsOf(String metric) {
    return "reach".equals(metric)
        ? java.util.Set.of("follow_type", "media_product_type")
        : MetricCatalog.TOTAL_VALUE_BREAKDOWNS.getOrDefault(metric, java.util.Set.of());
  }

  private long value(IgUser user, String metric, String period, LocalDate day) {
    if ("online_followers".equals(metric)) {
      return data.onlineFollowers(user.id(), day).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
    if (MetricCatalog.TOTAL_VALUE_BREAKDOWNS.containsKey(metric)) {
      return data.accountDailyTotal(user.id(), metric, day);
    }
    return data.accountInsight(user.id(), metric, period, day);
  }

  static Instant endTime(LocalDate day) {
    return day.atTime(DAY_END).toInstant(ZoneOffset.UTC);
  }

  /**
   * {@code follower_demographics} and {@code engaged_audience_demographics}: one metric per
   * request, with {@code metric_type=total_value} and a breakdown; the engaged audience needs a
   * timeframe (only this_week and this_month remain since v20). With a timeframe the first
   * dimension of the answer is the timeframe itself.
   */
  private ObjectNode demographics(
      IgUser user, List<String> metrics, String metricType, String breakdown, String timeframe) {
    String metric = metrics.get(0);
    if (metrics.size() > 1) {
      throw GraphError.invalidParameter(
          "The metric " + metric + " cannot be requested together with other metrics");
    }
    if (!"total_value".equals(metricType)) {
      throw GraphError.invalidParameter(
          "The following metrics ("
              + metric
              + ") should be specified with parameter metric_type=total_value");
    }
    if (breakdown == null) {
      throw GraphError.invalidParameter(
          "The following metrics (" + metric + ") should be specified with parameter breakdown");
    }
    List<String> timeframes = MetricCatalog.DEMOGRAPHIC_TIMEFRAMES.get(metric);
    if (timeframe == null && !timeframes.isEmpty()) {
      throw GraphError.invalidParameter(
          "The following metrics (" + metric + ") should be specified with parameter timeframe");
    }
    if (timeframe != null && !List.of("this_week", "this_month").contains(timeframe)) {
      throw GraphError.invalidParameter(
          "timeframe must be one of the following values: this_week, this_month");
    }
    List<String> dims = List.of(breakdown.split(","));
    boolean place = dims.size() == 1 && (dims.contains("city") || dims.contains("country"));
    boolean ageGender =
        dims.stream().allMatch(d -> d.equals("age") || d.equals("gender"))
            && dims.stream().distinct().count() == dims.size();
    if (!place && !ageGender) {
      throw GraphError.invalidParameter(
          "breakdown must be one of the following values: age, city, country, gender (age and gender can be combined)");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode row = body.putArray("data").addObject();
    String[] title = MetricCatalog.accountTitle(metric, "lifetime");
    row.put("name", metric);
    row.put("period", "lifetime");
    row.put("title", title[0]);
    row.put("description", title[1]);
    ObjectNode breakdownNode = row.putObject("total_value").putArray("breakdowns").addObject();
    List<String> keys = new ArrayList<>();
    if (timeframe != null) {
      keys.add("timeframe");
    }
    keys.addAll(dims);
    breakdownNode.set("dimension_keys", Json.MAPPER.valueToTree(keys));
    ArrayNode results = breakdownNode.putArray("results");
    List<DemographicResult> served =
        "follower_demographics".equals(metric)
            ? data.followerDemographics(user.id(), breakdown)
            : data.engagedAudienceDemographics(user.id(), breakdown, timeframe);
    for (DemographicResult r : served) {
      ObjectNode result = results.addObject();
      List<String> values = new ArrayList<>();
      if (timeframe != null) {
        values.add(timeframe);
      }
      values.addAll(r.dimensionValues());
      result.set("dimension_values", Json.MAPPER.valueToTree(values));
      result.put("value", r.value());
    }
    row.put("id", user.id() + "/insights/" + metric + "/lifetime");
    return body;
  }

  private static String timeLink(GraphRequest req, String baseUrl, long since, long until) {
    Map<String, String> params = new LinkedHashMap<>(req.params);
    params.put("since", Long.toString(since));
    params.put("until", Long.toString(until));
    return Pager.url(baseUrl, req, params);
  }
}
