package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.ErrorPolicy.SkipRule;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamCatalog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 * The incremental {@code user_insights} stream: per account, the day/week/days_28/lifetime metric groups over
 * windows of up to 30 days ({@link InsightsWindows}), sent as one batch request, merged into one record per account
 * and date in Airbyte's shape. Besides the records it outputs each account's watermark: the latest date it wrote
 * with no skipped window before it, so the next run never jumps over a hole.
 */
public final class UserInsights extends PTransform<PCollection<Account>, PCollectionTuple> {
  public static final TupleTag<String> RECORDS = new TupleTag<>() {};
  /** business_account_id → the latest {@code date} written for it (RFC 3339). */
  public static final TupleTag<KV<String, String>> WATERMARKS = new TupleTag<>() {};

  private static final Logger LOG = LoggerFactory.getLogger(UserInsights.class);

  private final GraphApiConfig config;
  private final UserInsightsPlan plan;

  UserInsights(GraphApiConfig config, UserInsightsPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<Account> accounts) {
    // Said once per run, while the graph is built, rather than once per account on the workers.
    describeGaps(plan).ifPresent(LOG::warn);
    PCollectionTuple result = accounts.apply("Fetch account insights in 30-day windows",
        ParDo.of(new FetchUserInsights(config, plan)).withOutputTags(RECORDS, TupleTagList.of(WATERMARKS)));
    result.get(WATERMARKS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  /** One log line naming, per metric, the days the API no longer serves; empty when nothing was lost. */
  static Optional<String> describeGaps(UserInsightsPlan plan) {
    Map<String, List<InsightsWindows.Gap>> gaps = plan.gaps();
    if (gaps.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder("user_insights: the Graph API no longer serves some days that are due "
        + "(reach is kept 90 days, follower_count and online_followers 30 days); they are skipped and each metric "
        + "starts at its retention limit:");
    gaps.forEach((account, lost) -> {
      text.append(' ').append(account).append(" [");
      for (int i = 0; i < lost.size(); i++) {
        InsightsWindows.Gap gap = lost.get(i);
        text.append(i == 0 ? "" : ", ").append(gap.metric()).append(' ').append(gap.firstDay()).append("..")
            .append(gap.lastDay());
      }
      text.append(']');
    });
    return Optional.of(text.toString());
  }

  static final class FetchUserInsights extends GraphDoFn<Account, String> {
    private static final Comparator<String> BY_INSTANT = Comparator.comparing(d -> OffsetDateTime.parse(d).toInstant());
    private final UserInsightsPlan plan;

    FetchUserInsights(GraphApiConfig config, UserInsightsPlan plan) {
      super(config);
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element Account account, MultiOutputReceiver out) {
      String id = account.businessAccountId();
      Instant start = plan.startFor(id);
      List<GraphRequest> requests = InsightsWindows.requests(id, start, plan.now());
      TreeMap<String, ObjectNode> byDate = new TreeMap<>(BY_INSTANT);
      // A skipped window leaves a hole; the watermark must stay before it so the next run fetches it again.
      Instant firstHole = null;
      for (int from = 0; from < requests.size(); from += GraphApiClient.MAX_BATCH_SIZE) {
        List<GraphRequest> batch = requests.subList(from,
            Math.min(requests.size(), from + GraphApiClient.MAX_BATCH_SIZE));
        List<GraphResponse> answers = new ArrayList<>();
        for (GraphResponse response : client.batch(batch)) {
          answers.addAll(!response.isOk() && InsightsWindows.beforeThirtyDayLimit(response.error())
              ? oneDayLater(response) : List.of(response));
        }
        for (GraphResponse response : answers) {
          if (!response.isOk()) {
            Optional<String> skip = SkipRule.INSIGHTS.skipKind(response.error());
            if (skip.isPresent()) {
              skipped(StreamCatalog.USER_INSIGHTS, skip.get(), id, response.error());
              Instant since = Instant.ofEpochSecond(Long.parseLong(response.request().params().get("since")));
              firstHole = firstHole == null || since.isBefore(firstHole) ? since : firstHole;
              continue;
            }
          }
          merge(byDate, response.bodyOrThrow(), start, plan.now());
        }
      }
      byDate.forEach((date, record) -> {
        record.put("date", date);
        record.put("page_id", account.pageId());
        record.put("business_account_id", id);
        out.get(RECORDS).output(record.toString());
      });
      Instant holeStart = firstHole;
      byDate.keySet().stream()
          .filter(date -> holeStart == null || OffsetDateTime.parse(date).toInstant().isBefore(holeStart))
          .reduce((a, b) -> b)
          .ifPresent(watermark -> out.get(WATERMARKS).output(KV.of(id, watermark)));
    }

    /**
     * The answers to asking once more, from a day later, what the server refused as older than its 30 days (its
     * clock is ahead of ours); the refusal stands when nothing would be left to ask. Only the 30-day metrics lose
     * that day, which the server counts as older than its 30 days.
     */
    private List<GraphResponse> oneDayLater(GraphResponse refused) {
      List<GraphRequest> narrower = InsightsWindows.oneDayLater(refused.request());
      if (narrower.isEmpty()) {
        return List.of(refused);
      }
      LOG.info("user_insights: the Graph API refused {} as older than its 30 days (its clock is ahead of ours); "
          + "asking again from a day later: {}", refused.request(), narrower);
      return client.batch(narrower);
    }

    /**
     * Airbyte's extraction: key = metric name (+ _week / _days_28), one value per end_time, merged by date. Points
     * outside [start, now] are dropped, as Airbyte's cursor does: Meta sometimes answers a day before since, and
     * incremental append must add nothing older than the window start.
     */
    private static void merge(Map<String, ObjectNode> byDate, JsonNode body, Instant start, Instant now) {
      for (JsonNode metric : body.path("data")) {
        String key = metric.path("name").asText() + InsightsWindows.Group.suffixOf(metric.path("period").asText());
        for (JsonNode value : metric.path("values")) {
          String date = RecordShape.rfc3339(value.path("end_time").asText());
          Instant at;
          try {
            at = OffsetDateTime.parse(date).toInstant();
          } catch (DateTimeParseException e) {
            continue; // a point without a date cannot be keyed, merged or watermarked
          }
          if (!at.isBefore(start) && !at.isAfter(now)) {
            byDate.computeIfAbsent(date, d -> JSON.createObjectNode()).set(key, value.path("value"));
          }
        }
      }
    }
  }
}
