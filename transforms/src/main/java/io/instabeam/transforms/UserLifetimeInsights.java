package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.schemas.StreamCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code user_lifetime_insights} stream: audience demographics per account, one record per
 * account, metric and breakdown ({@code city}, {@code country}, {@code age,gender}): {@code
 * follower_demographics} in both metric sets, and in {@code current} also {@code
 * engaged_audience_demographics} for a timeframe (Meta requires one for it). The requests of an
 * account travel in one batch request.
 *
 * <p>Unlike Airbyte, {@code value} is keyed by the whole dimension tuple ({@code "18-24,F"}):
 * Airbyte keys age,gender by age only, so later genders overwrite earlier ones and the gender split
 * is lost. With a timeframe, Meta's first dimension is the timeframe itself ({@code dimension_keys:
 * ["timeframe", "city"]}); it goes to the record's {@code timeframe} and is left out of the keys,
 * which would otherwise all start with it.
 */
public final class UserLifetimeInsights
    extends PTransform<PCollection<Account>, PCollection<String>> {
  static final String KIND = "account/demographics";

  private final GraphApiConfig config;
  private final MetricSet metricSet;

  UserLifetimeInsights(GraphApiConfig config) {
    this(config, MetricSet.AIRBYTE);
  }

  private UserLifetimeInsights(GraphApiConfig config, MetricSet metricSet) {
    this.config = config;
    this.metricSet = metricSet;
  }

  /** Requests {@code metricSet}'s demographics (default: Airbyte's). */
  public UserLifetimeInsights withMetricSet(MetricSet metricSet) {
    return new UserLifetimeInsights(config, metricSet);
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts.apply(
        "Fetch audience demographics",
        ParDo.of(
            new FetchDemographics(
                config,
                MetricCatalog.Selection.of(metricSet, config),
                new DroppedMetrics(StreamCatalog.USER_LIFETIME_INSIGHTS))));
  }

  static final class FetchDemographics extends GraphDoFn<Account, String> {
    private final MetricCatalog.Selection selection;
    private final DroppedMetrics dropped;

    FetchDemographics(
        GraphApiConfig config, MetricCatalog.Selection selection, DroppedMetrics dropped) {
      super(config);
      this.selection = selection;
      this.dropped = dropped;
    }

    @ProcessElement
    public void process(@Element Account account, OutputReceiver<String> out) {
      String id = account.businessAccountId();
      List<DroppedMetrics.Ask> asks = new ArrayList<>();
      for (MetricCatalog.Demographic demographic : selection.demographics()) {
        for (String breakdown : demographic.breakdowns()) {
          GraphRequest request =
              GraphRequest.get(id + "/insights", id)
                  .with("metric", demographic.metric())
                  .with("period", "lifetime")
                  .with("breakdown", breakdown)
                  .with("metric_type", "total_value")
                  .with("limit", "100");
          asks.add(
              DroppedMetrics.Ask.of(
                  KIND,
                  demographic.timeframe() == null
                      ? request
                      : request.with("timeframe", demographic.timeframe())));
        }
      }
      for (DroppedMetrics.Answer answer : dropped.send(client, asks)) {
        if (answer.response() == null) {
          // Meta refused the metric: this record is missing, and counted with the dropped metrics
          answer.dropped().forEach(metric -> DroppedMetrics.countRecordWithout(metric, KIND));
          continue;
        }
        GraphRequest request = answer.response().request();
        for (JsonNode metric : answer.response().bodyOrThrow().path("data")) {
          out.output(
              record(
                      account,
                      request.params().get("breakdown"),
                      request.params().get("timeframe"),
                      metric)
                  .toString());
        }
      }
    }

    static ObjectNode record(Account account, String breakdown, String timeframe, JsonNode metric) {
      ObjectNode record = JSON.createObjectNode();
      record.put("breakdown", breakdown);
      record.put("business_account_id", account.businessAccountId());
      record.put("page_id", account.pageId());
      record.put("metric", metric.path("name").asText());
      if (timeframe != null) {
        record.put("timeframe", timeframe);
      }
      ObjectNode value = record.putObject("value");
      JsonNode split = metric.path("total_value").path("breakdowns").path(0);
      JsonNode dimensions = split.path("dimension_keys");
      for (JsonNode result : split.path("results")) {
        StringBuilder key = new StringBuilder();
        JsonNode values = result.path("dimension_values");
        for (int i = 0; i < values.size(); i++) {
          if (!"timeframe".equals(dimensions.path(i).asText())) {
            key.append(key.length() == 0 ? "" : ",").append(values.get(i).asText());
          }
        }
        value.set(key.toString(), result.path("value"));
      }
      return record;
    }
  }
}
