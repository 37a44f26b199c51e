package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code user_lifetime_insights} stream: follower demographics per account by city, country and age,gender, one
 * record per account and breakdown. The three requests of an account travel in one batch request.
 *
 * <p>Unlike Airbyte, {@code value} is keyed by the whole dimension tuple ({@code "18-24,F"}): Airbyte keys
 * age,gender by age only, so later genders overwrite earlier ones and the gender split is lost.
 */
public final class UserLifetimeInsights extends PTransform<PCollection<Account>, PCollection<String>> {
  private final GraphApiConfig config;

  UserLifetimeInsights(GraphApiConfig config) {
    this.config = config;
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts.apply("Fetch follower demographics", ParDo.of(new FetchDemographics(config)));
  }

  static final class FetchDemographics extends GraphDoFn<Account, String> {
    FetchDemographics(GraphApiConfig config) {
      super(config);
    }

    @ProcessElement
    public void process(@Element Account account, OutputReceiver<String> out) {
      String id = account.businessAccountId();
      List<GraphRequest> requests = GraphFields.DEMOGRAPHIC_BREAKDOWNS.stream()
          .map(breakdown -> GraphRequest.get(id + "/insights", id)
              .with("metric", "follower_demographics").with("period", "lifetime")
              .with("breakdown", breakdown).with("metric_type", "total_value").with("limit", "100"))
          .toList();
      List<GraphResponse> responses = client.batch(requests);
      for (GraphResponse response : responses) {
        String breakdown = response.request().params().get("breakdown");
        for (JsonNode metric : response.bodyOrThrow().path("data")) {
          out.output(record(account, breakdown, metric).toString());
        }
      }
    }

    static ObjectNode record(Account account, String breakdown, JsonNode metric) {
      ObjectNode record = JSON.createObjectNode();
      record.put("breakdown", breakdown);
      record.put("business_account_id", account.businessAccountId());
      record.put("page_id", account.pageId());
      record.put("metric", metric.path("name").asText());
      ObjectNode value = record.putObject("value");
      for (JsonNode result : metric.path("total_value").path("breakdowns").path(0).path("results")) {
        StringBuilder key = new StringBuilder();
        result.path("dimension_values").forEach(v -> key.append(key.length() == 0 ? "" : ",").append(v.asText()));
        value.set(key.toString(), result.path("value"));
      }
      return record;
    }
  }
}
