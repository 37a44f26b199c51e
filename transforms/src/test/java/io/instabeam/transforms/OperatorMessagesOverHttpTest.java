package io.instabeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's message of a request that failed for good, through the real client: Meta echoes a
 * malformed token in its error message ("Malformed access token EAAG…"), and that text must not
 * reach logs or the job's error line.
 */
class OperatorMessagesOverHttpTest {
  private final FixtureGraphApi api =
      new FixtureGraphApi()
          .route("17841400000000011", Map.of(), 400, "errors/malformed_token_echoed.json")
          .route("17841400000000011/insights", Map.of(), 400, "errors/malformed_token_echoed.json");

  @AfterEach
  void stopApi() {
    api.close();
  }

  @Test
  void aTokenEchoedByMetaNeverReachesTheOperatorMessage() {
    GraphApiClient client = new GraphApiClient(api.config());
    GraphApiException e =
        assertThrows(
            GraphApiException.class,
            () ->
                client.get(
                    GraphRequest.get("17841400000000011", "17841400000000011")
                        .with("fields", "id")));
    assertThat(e.getMessage(), containsString("new long-lived token"));
    assertThat(e.getMessage(), not(containsString(FixtureGraphApi.TOKEN)));
  }

  @Test
  void aTokenEchoedInABatchSubRequestNeverReachesTheOperatorMessage() {
    GraphApiClient client = new GraphApiClient(api.config());
    GraphRequest insights = GraphRequest.get("17841400000000011/insights", "17841400000000011");
    GraphApiException e =
        assertThrows(
            GraphApiException.class,
            () ->
                client
                    .batch(List.of(insights.with("period", "day"), insights.with("period", "week")))
                    .get(0)
                    .bodyOrThrow());
    assertThat(e.getMessage(), not(containsString(FixtureGraphApi.TOKEN)));
  }
}
