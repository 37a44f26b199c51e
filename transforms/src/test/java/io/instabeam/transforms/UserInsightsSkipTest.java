package io.instabeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * user_insights applies media insights' ignore rules per chunk, as Airbyte's manifest.yaml does.
 */
@RunWith(JUnit4.class)
public class UserInsightsSkipTest {
  private static final String ACCOUNT = "17841400000000011";

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private final FixtureGraphApi api = new FixtureGraphApi();

  @After
  public void stopApi() {
    api.close();
  }

  private PCollection<String> userInsights(String weekResponse) {
    api.route(ACCOUNT + "/insights", Map.of("period", "day"), "golden/user_insights/day.json")
        .route(ACCOUNT + "/insights", Map.of("period", "week"), 400, weekResponse)
        .route(
            ACCOUNT + "/insights", Map.of("period", "days_28"), "golden/user_insights/days_28.json")
        .route(
            ACCOUNT + "/insights",
            Map.of("period", "lifetime"),
            "golden/user_insights/lifetime.json");
    UserInsightsPlan plan =
        new UserInsightsPlan(
            Instant.parse("2024-01-15T12:00:00Z"),
            Instant.parse("2024-01-12T12:00:00Z"),
            Duration.ZERO,
            Map.of());
    return p.apply(
            Create.of(List.of(GoldenRecordsTest.HARBOUR))
                .withCoder(SerializableCoder.of(Account.class)))
        .apply(InstagramIO.userInsights(api.config(), plan))
        .get(UserInsights.RECORDS);
  }

  @Test
  public void aChunkPostedBeforeBusinessConversionIsSkippedAndTheRestMerged() {
    List<String> withoutWeek =
        Golden.expected("user_insights").stream()
            .map(
                line -> {
                  ObjectNode record = (ObjectNode) parse(line);
                  record.remove("reach_week");
                  return record.toString();
                })
            .toList();
    PCollection<String> records = userInsights("errors/posted_before_business.json");
    PAssert.that(records)
        .satisfies(
            actual -> {
              Golden.assertRecordsEqual("user_insights without reach_week", withoutWeek, actual);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void aCode10ThatIsNotThePermissionMessageFailsTheRun() {
    userInsights("errors/not_enough_viewers.json");
    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    assertThat(e.getCause().getMessage(), containsString("Not enough viewers"));
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
