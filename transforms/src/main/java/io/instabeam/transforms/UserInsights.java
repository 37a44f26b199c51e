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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
 * and date in Airbyte's shape. Besides the records it outputs each account's watermark: the latest date it wrote.
 */
public final class UserInsights extends PTransform<PCollection<Account>, PCollectionTuple> {
  public static final TupleTag<String> RECORDS = new TupleTag<>() {};
  /** business_account_id → the latest {@code date} written for it (RFC 3339). */
  public static final TupleTag<KV<String, String>> WATERMARKS = new TupleTag<>() {};

  private final GraphApiConfig config;
  private final UserInsightsPlan plan;

  UserInsights(GraphApiConfig config, UserInsightsPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<Account> accounts) {
    PCollectionTuple result = accounts.apply("Fetch account insights in 30-day windows",
        ParDo.of(new FetchUserInsights(config, plan)).withOutputTags(RECORDS, TupleTagList.of(WATERMARKS)));
    result.get(WATERMARKS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  static final class FetchUserInsights extends GraphDoFn<Account, String> {
    private static final Logger LOG = LoggerFactory.getLogger(UserInsights.class);
    private static final Set<String> LOGGED_GAPS = ConcurrentHashMap.newKeySet();
    private final UserInsightsPlan plan;

    FetchUserInsights(GraphApiConfig config, UserInsightsPlan plan) {
      super(config);
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element Account account, MultiOutputReceiver out) {
      String id = account.businessAccountId();
      Instant start = plan.startFor(id);
      logGaps(start);
      List<GraphRequest> requests = InsightsWindows.requests(id, start, plan.now());
      Map<String, ObjectNode> byDate = new TreeMap<>();
      for (int from = 0; from < requests.size(); from += GraphApiClient.MAX_BATCH_SIZE) {
        List<GraphRequest> batch = requests.subList(from,
            Math.min(requests.size(), from + GraphApiClient.MAX_BATCH_SIZE));
        for (GraphResponse response : client.batch(batch)) {
          if (!response.isOk()) {
            Optional<String> skip = SkipRule.INSIGHTS.skipKind(response.error());
            if (skip.isPresent()) {
              skipped(StreamCatalog.USER_INSIGHTS, skip.get(), id, response.error());
              continue;
            }
          }
          merge(byDate, response.bodyOrThrow());
        }
      }
      byDate.forEach((date, record) -> {
        record.put("date", date);
        record.put("page_id", account.pageId());
        record.put("business_account_id", id);
        out.get(RECORDS).output(record.toString());
      });
      if (!byDate.isEmpty()) {
        out.get(WATERMARKS).output(KV.of(id, ((TreeMap<String, ObjectNode>) byDate).lastKey()));
      }
    }

    /** Airbyte's extraction: key = metric name (+ _week / _days_28), one value per end_time, merged by date. */
    private static void merge(Map<String, ObjectNode> byDate, JsonNode body) {
      for (JsonNode metric : body.path("data")) {
        String key = metric.path("name").asText() + InsightsWindows.Group.suffixOf(metric.path("period").asText());
        for (JsonNode value : metric.path("values")) {
          String date = RecordShape.rfc3339(value.path("end_time").asText());
          byDate.computeIfAbsent(date, d -> JSON.createObjectNode()).set(key, value.path("value"));
        }
      }
    }

    /** Says once per run start which metrics reach back past what the API keeps, and from when they start. */
    private void logGaps(Instant start) {
      List<InsightsWindows.Gap> gaps = InsightsWindows.gaps(start, plan.now());
      if (!gaps.isEmpty() && LOGGED_GAPS.add(start.toString())) {
        StringBuilder text = new StringBuilder();
        gaps.forEach(gap -> text.append(text.length() == 0 ? "" : "; ").append(gap.metric()).append(" (")
            .append(gap.period()).append(") starts at ").append(gap.until()));
        LOG.warn("user_insights: the range from {} reaches back past what the Graph API keeps and cannot be fetched "
            + "before these dates: {}.", start, text);
      }
    }
  }
}
