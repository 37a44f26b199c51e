package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.ErrorPolicy.SkipRule;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental {@code user_insights} stream: per account, the day/week/days_28/lifetime metric
 * groups over windows of up to 30 days ({@link InsightsWindows}), sent as one batch request, merged
 * into one record per account and date in Airbyte's shape. With {@link MetricSet#CURRENT} each date
 * also gets the account metrics Meta answers only as one total per range ({@code
 * metric_type=total_value}): one range per day the time series answered, the plain totals and each
 * breakdown in their own request, in batch requests of 50. Besides the records it outputs each
 * account's watermark: the latest date it wrote with no skipped window before it, so the next run
 * never jumps over a hole.
 *
 * <p>A metric Meta refuses (say {@code follower_count} once it is retired) is dropped for its
 * period group for the rest of the run ({@link DroppedMetrics}): the group is asked again without
 * it, so only its column is lost.
 */
public final class UserInsights extends PTransform<PCollection<Account>, PCollectionTuple> {
  public static final TupleTag<String> RECORDS = new TupleTag<>() {};

  /** business_account_id → the latest {@code date} written for it (RFC 3339). */
  public static final TupleTag<KV<String, String>> WATERMARKS = new TupleTag<>() {};

  private static final Logger LOG = LoggerFactory.getLogger(UserInsights.class);

  /**
   * Object kinds of account metrics, for dropped metrics: {@code account/day}, {@code
   * account/total_value}.
   */
  static final String SERIES_KIND = "account/";

  static final String TOTALS_KIND = "account/total_value";

  private final GraphApiConfig config;
  private final UserInsightsPlan plan;
  private final MetricSet metricSet;

  UserInsights(GraphApiConfig config, UserInsightsPlan plan) {
    this(config, plan, MetricSet.AIRBYTE);
  }

  private UserInsights(GraphApiConfig config, UserInsightsPlan plan, MetricSet metricSet) {
    this.config = config;
    this.plan = plan;
    this.metricSet = metricSet;
  }

  /** Requests {@code metricSet}'s account metrics (default: Airbyte's). */
  public UserInsights withMetricSet(MetricSet metricSet) {
    return new UserInsights(config, plan, metricSet);
  }

  @Override
  public PCollectionTuple expand(PCollection<Account> accounts) {
    // Said once per run, while the graph is built, rather than once per account on the workers.
    describeGaps(plan).ifPresent(LOG::warn);
    PCollectionTuple result =
        accounts.apply(
            "Fetch account insights in 30-day windows",
            ParDo.of(
                    new FetchUserInsights(
                        config,
                        plan,
                        MetricCatalog.Selection.of(metricSet, config),
                        new DroppedMetrics(StreamCatalog.USER_INSIGHTS)))
                .withOutputTags(RECORDS, TupleTagList.of(WATERMARKS)));
    result.get(WATERMARKS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  /**
   * One log line naming, per metric, the days the API no longer serves; empty when nothing was
   * lost.
   */
  static Optional<String> describeGaps(UserInsightsPlan plan) {
    Map<String, List<InsightsWindows.Gap>> gaps = plan.gaps();
    if (gaps.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text =
        new StringBuilder(
            "user_insights: the Graph API no longer serves some days that are due "
                + "(reach is kept 90 days, follower_count and online_followers 30 days); they are skipped and each metric "
                + "starts at its retention limit:");
    gaps.forEach(
        (account, lost) -> {
          text.append(' ').append(account).append(" [");
          for (int i = 0; i < lost.size(); i++) {
            InsightsWindows.Gap gap = lost.get(i);
            text.append(i == 0 ? "" : ", ")
                .append(gap.metric())
                .append(' ')
                .append(gap.firstDay())
                .append("..")
                .append(gap.lastDay());
          }
          text.append(']');
        });
    return Optional.of(text.toString());
  }

  static final class FetchUserInsights extends GraphDoFn<Account, String> {
    private static final Comparator<String> BY_INSTANT =
        Comparator.comparing(d -> OffsetDateTime.parse(d).toInstant());
    private final UserInsightsPlan plan;
    private final MetricCatalog.Selection selection;
    private final DroppedMetrics dropped;

    FetchUserInsights(
        GraphApiConfig config,
        UserInsightsPlan plan,
        MetricCatalog.Selection selection,
        DroppedMetrics dropped) {
      super(config);
      this.plan = plan;
      this.selection = selection;
      this.dropped = dropped;
    }

    @ProcessElement
    public void process(@Element Account account, MultiOutputReceiver out) {
      String id = account.businessAccountId();
      Instant start = plan.startFor(id);
      TreeMap<String, ObjectNode> byDate = new TreeMap<>(BY_INSTANT);
      List<DroppedMetrics.Ask> series =
          InsightsWindows.requests(id, start, plan.now()).stream()
              .map(
                  request ->
                      DroppedMetrics.Ask.of(SERIES_KIND + request.params().get("period"), request))
              .toList();
      // record key → {metric, kind} of the metrics Meta refused, whose keys the records then lack
      Map<String, String[]> refused = new LinkedHashMap<>();
      Instant seriesHole =
          fetch(id, series, refused, (request, body) -> merge(byDate, body, start, plan.now()));
      // Totals answer one value per range: one range per day, the days the time series just
      // answered.
      Map<String, ObjectNode> byRequest = new HashMap<>();
      List<DroppedMetrics.Ask> totals = dailyTotals(id, byDate, byRequest);
      Instant totalsHole =
          fetch(
              id,
              totals,
              refused,
              (request, body) ->
                  mergeTotals(byRequest.get(request.params().get("until")), request, body));
      // A skipped window leaves a hole; the watermark must stay before it so the next run fetches
      // it again.
      Instant firstHole =
          totalsHole == null || (seriesHole != null && seriesHole.isBefore(totalsHole))
              ? seriesHole
              : totalsHole;
      byDate.forEach(
          (date, record) -> {
            refused.forEach(
                (key, metric) -> {
                  if (!record.has(key)) {
                    DroppedMetrics.countRecordWithout(metric[0], metric[1]);
                  }
                });
            record.put("date", date);
            record.put("page_id", account.pageId());
            record.put("business_account_id", id);
            out.get(RECORDS).output(record.toString());
          });
      byDate.keySet().stream()
          .filter(
              date ->
                  firstHole == null || OffsetDateTime.parse(date).toInstant().isBefore(firstHole))
          .reduce((a, b) -> b)
          .ifPresent(watermark -> out.get(WATERMARKS).output(KV.of(id, watermark)));
    }

    /**
     * Sends the asks (a metric Meta refuses is dropped for its kind and the request sent again
     * without it), merges each answer, notes the record keys of refused metrics in {@code refused},
     * and returns the earliest {@code since} of a request the skip rules skipped, or null. What the
     * server refuses as older than its 30 days (its clock is ahead of ours) is asked once more from
     * a day later ({@link InsightsWindows#oneDayLater}): only the 30-day metrics lose that day; the
     * refusal stands when nothing would be left to ask.
     */
    private Instant fetch(
        String id,
        List<DroppedMetrics.Ask> asks,
        Map<String, String[]> refused,
        BiConsumer<GraphRequest, JsonNode> merge) {
      Instant firstHole = null;
      List<DroppedMetrics.Ask> dayLater = new ArrayList<>();
      List<DroppedMetrics.Answer> answers = new ArrayList<>();
      for (DroppedMetrics.Answer answer : sendInParallel(id, asks)) {
        GraphResponse response = answer.response();
        List<GraphRequest> narrower =
            response != null
                    && !response.isOk()
                    && InsightsWindows.beforeThirtyDayLimit(response.error())
                ? InsightsWindows.oneDayLater(response.request())
                : List.of();
        if (narrower.isEmpty()) {
          answers.add(answer);
          continue;
        }
        noteRefused(answer, refused);
        LOG.info(
            "user_insights: the Graph API refused {} as older than its 30 days (its clock is ahead of ours); "
                + "asking again from a day later: {}",
            response.request(),
            narrower);
        narrower.forEach(
            request -> dayLater.add(DroppedMetrics.Ask.of(answer.ask().kind(), request)));
      }
      // Asked once more only: a second refusal stands (and is an error like any other).
      answers.addAll(sendInParallel(id, dayLater));
      for (DroppedMetrics.Answer answer : answers) {
        noteRefused(answer, refused);
        GraphResponse response = answer.response();
        if (response == null) {
          continue; // Meta refused every metric of this request: their columns are missing, the
          // rest is there
        }
        if (!response.isOk()) {
          Optional<String> skip = SkipRule.INSIGHTS.skipKind(response.error());
          if (skip.isPresent()) {
            skipped(StreamCatalog.USER_INSIGHTS, skip.get(), id, response.error());
            Instant since =
                Instant.ofEpochSecond(Long.parseLong(response.request().params().get("since")));
            firstHole = firstHole == null || since.isBefore(firstHole) ? since : firstHole;
            continue;
          }
        }
        merge.accept(response.request(), response.bodyOrThrow());
      }
      return firstHole;
    }

    /**
     * Sends the asks as batch requests of up to {@value GraphApiClient#MAX_BATCH_SIZE}, as many at
     * once as the account may have in flight ({@code maxConcurrentPerAccount}, shared with its
     * media insights), and returns the answers in the order of the asks. Two years of an account's
     * insights are a dozen batches: one after another, they made the account's slowest stream.
     */
    private List<DroppedMetrics.Answer> sendInParallel(String id, List<DroppedMetrics.Ask> asks) {
      InFlight<Integer, List<DroppedMetrics.Answer>> inFlight =
          new InFlight<>(
              config.run(),
              config.maxConcurrentPerAccount(),
              config.maxConcurrentPerAccount(),
              batch -> id);
      List<DroppedMetrics.Answer> answers = new ArrayList<>();
      int size = GraphApiClient.MAX_BATCH_SIZE;
      for (int from = 0; from < asks.size(); from += size) {
        List<DroppedMetrics.Ask> batch = asks.subList(from, Math.min(asks.size(), from + size));
        inFlight.submit(
            from, () -> dropped.send(client, batch), (first, answered) -> answers.addAll(answered));
      }
      inFlight.drain((first, answered) -> answers.addAll(answered));
      return answers;
    }

    /**
     * Notes in {@code refused} the record keys of the metrics Meta refused for {@code answer}'s
     * ask.
     */
    private static void noteRefused(DroppedMetrics.Answer answer, Map<String, String[]> refused) {
      for (String metric : answer.dropped()) {
        refused.put(
            recordKey(answer.ask().request(), metric), new String[] {metric, answer.ask().kind()});
      }
    }

    /**
     * The record key a metric of {@code request} is written under: {@code reach_week}, {@code
     * views}, a split.
     */
    private static String recordKey(GraphRequest request, String metric) {
      String breakdown = request.params().get("breakdown");
      if (breakdown != null) {
        return MetricCatalog.TotalMetric.key(metric, breakdown);
      }
      return "total_value".equals(request.params().get("metric_type"))
          ? metric
          : metric + InsightsWindows.Group.suffixOf(request.params().get("period"));
    }

    /**
     * The daily totals' requests (none in {@code airbyte}): for each date the time series answered
     * (a day's end), the 24 hours before it, once for the plain totals and once per breakdown.
     * {@code byRequest} maps each request's {@code until} to the record of its date.
     */
    private List<DroppedMetrics.Ask> dailyTotals(
        String id, TreeMap<String, ObjectNode> byDate, Map<String, ObjectNode> byRequest) {
      List<MetricCatalog.TotalMetric> metrics = selection.accountDailyTotals();
      if (metrics.isEmpty()) {
        return List.of();
      }
      List<String> plain =
          metrics.stream()
              .filter(m -> m.breakdown() == null)
              .map(MetricCatalog.TotalMetric::name)
              .toList();
      List<DroppedMetrics.Ask> asks = new ArrayList<>();
      Instant previous = null;
      for (Map.Entry<String, ObjectNode> date : byDate.entrySet()) {
        Instant end = OffsetDateTime.parse(date.getKey()).toInstant();
        // Meta's days end at midnight Pacific: a day after a DST change is 23 or 25 hours long.
        Instant since =
            previous != null
                    && Duration.between(previous, end).toHours() >= 23
                    && Duration.between(previous, end).toHours() <= 25
                ? previous
                : end.minus(Duration.ofDays(1));
        previous = end;
        String until = String.valueOf(end.getEpochSecond());
        byRequest.put(until, date.getValue());
        GraphRequest day =
            GraphRequest.get(id + "/insights", id)
                .with("metric", String.join(",", plain))
                .with("period", "day")
                .with("metric_type", "total_value")
                .with("since", String.valueOf(since.getEpochSecond()))
                .with("until", until);
        asks.add(DroppedMetrics.Ask.of(TOTALS_KIND, day));
        metrics.stream()
            .filter(m -> m.breakdown() != null)
            .forEach(
                m ->
                    asks.add(
                        DroppedMetrics.Ask.breakdown(
                            TOTALS_KIND + " by " + m.breakdown(),
                            day.with("metric", m.name()).with("breakdown", m.breakdown()))));
      }
      return asks;
    }

    /**
     * A totals answer into its date's record: {@code metric = total}, a split as {@code
     * <metric>_by_<breakdown>}.
     */
    private static void mergeTotals(ObjectNode record, GraphRequest request, JsonNode body) {
      String breakdown = request.params().get("breakdown");
      for (JsonNode metric : body.path("data")) {
        String name = metric.path("name").asText();
        JsonNode total = metric.path("total_value");
        if (breakdown == null) {
          if (total.has("value")) {
            record.set(name, total.get("value"));
          }
          continue;
        }
        ObjectNode values = record.putObject(MetricCatalog.TotalMetric.key(name, breakdown));
        for (JsonNode result : total.path("breakdowns").path(0).path("results")) {
          StringBuilder key = new StringBuilder();
          result
              .path("dimension_values")
              .forEach(v -> key.append(key.length() == 0 ? "" : ",").append(v.asText()));
          values.set(key.toString(), result.path("value"));
        }
      }
    }

    /**
     * Airbyte's extraction: key = metric name (+ _week / _days_28), one value per end_time, merged
     * by date. Points outside [start, now] are dropped, as Airbyte's cursor does: Meta sometimes
     * answers a day before since, and incremental append must add nothing older than the window
     * start.
     */
    private static void merge(
        Map<String, ObjectNode> byDate, JsonNode body, Instant start, Instant now) {
      for (JsonNode metric : body.path("data")) {
        String key =
            metric.path("name").asText()
                + InsightsWindows.Group.suffixOf(metric.path("period").asText());
        for (JsonNode value : metric.path("values")) {
          String date = RecordShape.rfc3339(value.path("end_time").asText());
          Instant at;
          try {
            at = OffsetDateTime.parse(date).toInstant();
          } catch (DateTimeParseException e) {
            continue; // a point without a date cannot be keyed, merged or watermarked
          }
          if (!at.isBefore(start) && !at.isAfter(now)) {
            byDate
                .computeIfAbsent(date, d -> JSON.createObjectNode())
                .set(key, value.path("value"));
          }
        }
      }
    }
  }
}
