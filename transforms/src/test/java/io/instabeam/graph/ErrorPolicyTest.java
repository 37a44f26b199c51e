package io.instabeam.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.instabeam.graph.ErrorPolicy.Action;
import io.instabeam.graph.ErrorPolicy.SkipRule;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's error table, the streams' skip rules (Airbyte's ignore rules) and the operator's
 * messages.
 */
class ErrorPolicyTest {
  private static final String TOKEN = "EAAGm0PX4ZCpsBAKZC1secretTOKENvalue";
  private static final String NOT_ENOUGH_VIEWERS =
      "(#10) Not enough viewers for the media to show insights";

  private static GraphApiError error(int httpStatus, int code, int subcode, String message) {
    return new GraphApiError(
        httpStatus, code, subcode, "OAuthException", message, false, "AbC123", "");
  }

  private static GraphApiError transientError(int httpStatus, int code) {
    return new GraphApiError(
        httpStatus, code, 0, "OAuthException", "temporarily unavailable", true, "", "");
  }

  @Nested
  class Classify {
    @ParameterizedTest
    @ValueSource(ints = {4, 17, 32, 613, 80002})
    void rateLimitCodesThrottle(int code) {
      assertEquals(
          Action.THROTTLE,
          ErrorPolicy.classify(error(400, code, 0, "(#" + code + ") limit reached")));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 17, 32, 613, 80002})
    void rateLimitCodesThrottleEvenWhenMarkedTransient(int code) {
      assertEquals(Action.THROTTLE, ErrorPolicy.classify(transientError(400, code)));
    }

    @Test
    void http429Throttles() {
      assertEquals(
          Action.THROTTLE, ErrorPolicy.classify(GraphApiError.transport(429, "Too Many Requests")));
    }

    @Test
    void transientErrorsRetry() {
      assertEquals(Action.RETRY, ErrorPolicy.classify(transientError(400, 100)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void unknownAndServiceErrorsRetry(int code) {
      assertEquals(
          Action.RETRY, ErrorPolicy.classify(error(400, code, 0, "An unknown error occurred")));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsRetry(int status) {
      assertEquals(
          Action.RETRY, ErrorPolicy.classify(GraphApiError.transport(status, "HTTP " + status)));
    }

    @Test
    void requestTimeoutRetries() {
      assertEquals(
          Action.RETRY, ErrorPolicy.classify(GraphApiError.transport(408, "Request Timeout")));
    }

    @Test
    void transportFaultsRetry() {
      assertEquals(
          Action.RETRY, ErrorPolicy.classify(GraphApiError.transport(0, "connection reset")));
    }

    @Test
    void invalidTokenFails() {
      assertEquals(
          Action.FAIL, ErrorPolicy.classify(error(400, 190, 463, "Error validating access token")));
    }

    @Test
    void invalidTokenFailsEvenWhenMarkedTransient() {
      assertEquals(Action.FAIL, ErrorPolicy.classify(transientError(401, 190)));
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 200, 803})
    void otherClientErrorsFail(int code) {
      assertEquals(Action.FAIL, ErrorPolicy.classify(error(400, code, 0, "(#" + code + ") bad")));
    }

    @Test
    void postedBeforeConversionFailsAtTheClientSoTheStreamCanSkipIt() {
      assertEquals(
          Action.FAIL, ErrorPolicy.classify(error(400, 100, 2108006, "Invalid parameter")));
    }
  }

  /** Airbyte's IGNORE filters: the errors that skip an item. */
  @Nested
  class Skip {
    @Test
    void insightsSkipMediaPostedBeforeBusinessConversion() {
      assertEquals(
          Optional.of("posted-before-business-conversion"),
          SkipRule.INSIGHTS.skipKind(error(400, 100, 2108006, "Invalid parameter")));
    }

    @Test
    void insightsSkipObjectNotAvailable() {
      assertEquals(
          Optional.of("object-not-available"),
          SkipRule.INSIGHTS.skipKind(error(400, 100, 33, "Unsupported get request.")));
    }

    @Test
    void insightsSkipCode10WithTheExactPermissionMessage() {
      assertEquals(
          Optional.of("no-permission"),
          SkipRule.INSIGHTS.skipKind(
              error(400, 10, 0, "(#10) Application does not have permission for this action")));
    }

    @Test
    void insightsDoNotSkipOtherCode10Messages() {
      assertEquals(
          Optional.empty(), SkipRule.INSIGHTS.skipKind(error(400, 10, 0, NOT_ENOUGH_VIEWERS)));
    }

    @Test
    void insightsDoNotSkipAPermissionMessageThatIsNotExact() {
      assertEquals(
          Optional.empty(),
          SkipRule.INSIGHTS.skipKind(
              error(400, 10, 0, "(#10) Application does not have permission for this action.")));
    }

    @Test
    void insightsDoNotSkipTheExactPermissionMessageUnderAnotherCode() {
      assertEquals(
          Optional.empty(),
          SkipRule.INSIGHTS.skipKind(
              error(400, 200, 0, "(#10) Application does not have permission for this action")));
    }

    @Test
    void insightsDoNotSkipCode100WithoutSubcode33() {
      assertEquals(
          Optional.empty(), SkipRule.INSIGHTS.skipKind(error(400, 100, 0, "Invalid parameter")));
    }

    @Test
    void insightsDoNotSkipSubcode33UnderAnotherCode() {
      assertEquals(Optional.empty(), SkipRule.INSIGHTS.skipKind(error(400, 200, 33, "bad")));
    }

    @Test
    void storyInsightsSkipNotEnoughViewers() {
      assertEquals(
          Optional.of("not-enough-viewers-or-no-permission"),
          SkipRule.STORY_INSIGHTS.skipKind(error(400, 10, 0, NOT_ENOUGH_VIEWERS)));
    }

    @Test
    void storyInsightsSkipAnyCode10() {
      assertEquals(
          Optional.of("not-enough-viewers-or-no-permission"),
          SkipRule.STORY_INSIGHTS.skipKind(error(403, 10, 0, "(#10) anything at all")));
    }

    @Test
    void storyInsightsDoNotSkipPostedBeforeBusinessConversion() {
      assertEquals(
          Optional.empty(),
          SkipRule.STORY_INSIGHTS.skipKind(error(400, 100, 2108006, "Invalid parameter")));
    }

    @Test
    void storyInsightsDoNotSkipObjectNotAvailable() {
      assertEquals(
          Optional.empty(),
          SkipRule.STORY_INSIGHTS.skipKind(error(400, 100, 33, "Unsupported get request.")));
    }

    @Test
    void otherStreamsSkipNothing() {
      for (GraphApiError e :
          new GraphApiError[] {
            error(400, 100, 2108006, "x"),
            error(400, 100, 33, "x"),
            error(400, 10, 0, ErrorPolicy.PERMISSION_MESSAGE),
            error(400, 10, 0, NOT_ENOUGH_VIEWERS)
          }) {
        assertEquals(Optional.empty(), SkipRule.NONE.skipKind(e), e::summary);
      }
    }
  }

  @Nested
  class OperatorMessage {
    private final GraphRequest insights =
        GraphRequest.get("17841400000000011/insights", "17841400000000011")
            .with("metric", "reach")
            .with("period", "day");
    private final GraphRequest meAccounts =
        GraphRequest.get("me/accounts", null)
            .with("fields", "id,instagram_business_account")
            .with("limit", "100");
    private final GraphRequest user =
        GraphRequest.get("17841400000000011", "17841400000000011").with("fields", "id,username");

    @Test
    void invalidTokenAsksForANewToken() {
      String message =
          ErrorPolicy.operatorMessage(error(400, 190, 463, "Error validating access token"), user);
      assertThat(message, containsString("new long-lived token"));
      assertThat(message, containsString("--accessToken"));
    }

    @Test
    void code10OnInsightsAsksForBothPermissionsInsightsNeed() {
      assertThat(
          ErrorPolicy.operatorMessage(error(403, 10, 0, ErrorPolicy.PERMISSION_MESSAGE), insights),
          containsString("grant instagram_basic and instagram_manage_insights"));
    }

    @Test
    void code10OnInlineInsightsFieldsAsksForBothPermissionsInsightsNeed() {
      GraphRequest media =
          GraphRequest.get("17841400000000011/media", "17841400000000011")
              .with("fields", "id,insights.metric(reach)");
      assertThat(
          ErrorPolicy.operatorMessage(error(403, 10, 0, ErrorPolicy.PERMISSION_MESSAGE), media),
          containsString("grant instagram_basic and instagram_manage_insights"));
    }

    @Test
    void code10OnMeAccountsAsksForPagesShowList() {
      assertThat(
          ErrorPolicy.operatorMessage(
              error(403, 10, 0, ErrorPolicy.PERMISSION_MESSAGE), meAccounts),
          containsString("grant pages_show_list"));
    }

    @Test
    void permissionErrorsOnProfilesAskForInstagramBasic() {
      assertThat(
          ErrorPolicy.operatorMessage(error(403, 200, 0, "(#200) Permissions error"), user),
          containsString("grant instagram_basic"));
    }

    @Test
    void messagesNameTheFailedRequestAndTheError() {
      String message =
          ErrorPolicy.operatorMessage(error(400, 100, 33, "Unsupported get request."), insights);
      assertThat(message, containsString("17841400000000011/insights"));
      assertThat(message, containsString("Unsupported get request."));
      assertThat(message, containsString("AbC123"));
    }

    @Test
    void messagesNeverContainTheToken() {
      AccessToken token = AccessToken.of(TOKEN);
      GraphApiConfig config = GraphApiConfig.of("https://graph.facebook.com", "v23.0", token);
      for (GraphApiError e :
          new GraphApiError[] {
            error(400, 190, 463, "Error validating access token"),
            error(403, 10, 0, ErrorPolicy.PERMISSION_MESSAGE),
            GraphApiError.transport(0, "connection reset"),
            error(400, 4, 0, "(#4) Application request limit reached")
          }) {
        for (GraphRequest request : new GraphRequest[] {insights, meAccounts, user}) {
          assertThat(ErrorPolicy.operatorMessage(e, request), not(containsString(TOKEN)));
        }
      }
      assertThat(config.toString(), not(containsString(TOKEN)));
    }
  }
}
