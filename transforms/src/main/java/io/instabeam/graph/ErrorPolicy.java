package io.instabeam.graph;

import io.instabeam.transforms.Login;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do with each Graph API error, in one table: retry it (transient faults), wait and retry
 * it (rate limits), skip the item (a stream's ignore rules, as Airbyte's), or fail the run with a
 * message that tells the operator what to do.
 */
public final class ErrorPolicy {
  /** What the client does with a failed request. */
  public enum Action {
    RETRY,
    THROTTLE,
    FAIL
  }

  /**
   * Meta's throttling codes: app (4), user (17), pages (32), custom (613), application (341),
   * blocked (368), BUC.
   */
  static final Set<Integer> RATE_LIMIT_CODES =
      Set.of(
          4, 17, 32, 341, 368, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80009,
          80014);

  public static final String PERMISSION_MESSAGE =
      "(#10) Application does not have permission for this action";

  private ErrorPolicy() {}

  /** The client's action for an error answered by the API or the transport. */
  public static Action classify(GraphApiError error) {
    if (error.type().equals(GraphApiError.WAIT_TOO_LONG)) {
      return Action.FAIL;
    }
    if (RATE_LIMIT_CODES.contains(error.code()) || error.httpStatus() == 429) {
      return Action.THROTTLE;
    }
    if (error.code() == 190) {
      return Action.FAIL;
    }
    if (error.isTransient()
        || error.code() == 1
        || error.code() == 2
        || error.httpStatus() >= 500
        || error.httpStatus() == 408
        || error.httpStatus() == 0) {
      return Action.RETRY;
    }
    return Action.FAIL;
  }

  /**
   * The attempts a request gets for {@code error}: {@code maxAttempts}, but two for an answer about
   * another object than the request's. That is a mixed-up batch, not a passing fault: one more try
   * tells a glitch from a server that keeps mixing answers up, and then the run fails rather than
   * write insights on the wrong post.
   */
  static int attemptsFor(GraphApiError error, int maxAttempts) {
    return error.type().equals(GraphApiError.MISMATCHED_ANSWER)
        ? Math.min(2, maxAttempts)
        : maxAttempts;
  }

  /** The ignore rules of a stream: errors that skip one item instead of failing the run. */
  public enum SkipRule {
    /** None: every non-retryable error fails the run. */
    NONE,
    /**
     * Media and user insights, as Airbyte: media posted before the business conversion (subcode
     * 2108006), an object that cannot be loaded (100/33), and code 10 "Application does not have
     * permission for this action".
     */
    INSIGHTS,
    /**
     * Story insights, as Airbyte: any code 10 (most often "Not enough viewers for the media to show
     * insights").
     */
    STORY_INSIGHTS,
    /**
     * Business Discovery: a username that is not a professional (business or creator) account, or
     * none at all, answers 110/2207013 "Cannot find User"; the other competitors are still read.
     */
    BUSINESS_DISCOVERY,
    /**
     * Edges that need a permission the others do not (comments and tags need
     * instagram_manage_comments): a code 10 or 200-family answer leaves that stream without the
     * account's records instead of failing the run.
     */
    OWN_PERMISSION;

    /**
     * The kind of skip (a counter and log name), or empty when this error is not skipped by the
     * rule.
     */
    public Optional<String> skipKind(GraphApiError error) {
      switch (this) {
        case INSIGHTS:
          if (error.subcode() == 2108006) {
            return Optional.of("posted-before-business-conversion");
          }
          if (error.code() == 100 && error.subcode() == 33) {
            return Optional.of("object-not-available");
          }
          if (error.code() == 10 && PERMISSION_MESSAGE.equals(error.message())) {
            return Optional.of("no-permission");
          }
          return Optional.empty();
        case STORY_INSIGHTS:
          return error.code() == 10
              ? Optional.of("not-enough-viewers-or-no-permission")
              : Optional.empty();
        case BUSINESS_DISCOVERY:
          return error.code() == 110 && error.subcode() == 2207013
              ? Optional.of("not-a-professional-account")
              : Optional.empty();
        case OWN_PERMISSION:
          return error.code() == 10 || (error.code() >= 200 && error.code() <= 299)
              ? Optional.of("no-permission")
              : Optional.empty();
        default:
          return Optional.empty();
      }
    }
  }

  /** The operator's message for a request of a Facebook-Login token that failed for good. */
  public static String operatorMessage(GraphApiError error, GraphRequest request) {
    return operatorMessage(error, request, Login.FACEBOOK);
  }

  /** The operator's message for a request that failed for good: what happened and what to do. */
  public static String operatorMessage(GraphApiError error, GraphRequest request, Login login) {
    if (error.type().equals(GraphApiError.WAIT_TOO_LONG)) {
      return error.message() + " (nothing of this run was published).";
    }
    String what = "Graph API request " + request + " failed: " + error.summary() + ". ";
    if (error.type().equals(GraphApiError.MALFORMED_ANSWER)) {
      return what
          + "The answers kept coming in a shape instabeam cannot read (a proxy in between, or a Graph API "
          + "change): nothing of this run was published; run the job again, and check --graphApiUrl and "
          + "--apiVersion if it persists.";
    }
    if (error.type().equals(GraphApiError.MISMATCHED_ANSWER)) {
      return what
          + "The batch answer was about another object than its request, twice: nothing of this run was "
          + "published (no insights were written on the wrong item); run the job again.";
    }
    if (error.code() == 190) {
      return what
          + "The access token is invalid or has expired: create a new long-lived token (Graph API Explorer "
          + "or your app's OAuth flow) and pass it with --accessToken, --accessTokenFile or INSTAGRAM_ACCESS_TOKEN.";
    }
    if (error.code() == 10 || (error.code() >= 200 && error.code() <= 299) || error.code() == 3) {
      return what
          + "The token lacks a permission: grant "
          + permissionFor(error, request, login)
          + " to the app and "
          + "create a new token (with "
          + login.title()
          + " instabeam needs "
          + String.join(", ", login.permissions())
          + ").";
    }
    if (error.code() == 100 && error.subcode() == 33) {
      return what
          + "The object does not exist or this token cannot see it: check --accounts against the accounts "
          + "that `check` lists for this token.";
    }
    if (RATE_LIMIT_CODES.contains(error.code())) {
      return what
          + "Meta kept rate-limiting the requests past the retry time limit: run later, or raise "
          + "--maxRetrySeconds.";
    }
    if (classify(error) == Action.RETRY) {
      return what
          + "The error was transient but retries ran out: run the job again (nothing of this run was "
          + "published), or raise --maxAttempts / --maxRetrySeconds.";
    }
    return what + "This request is not retryable; see \"Troubleshooting\" in docs/operations.md.";
  }

  /**
   * Meta's 200-family message names the missing permission: "(#200) Requires pages_show_list
   * permission …".
   */
  private static final Pattern REQUIRED_PERMISSION = Pattern.compile("Requires (\\w+) permission");

  /**
   * The missing permission, named as Meta names it: from the message when Meta says it, else from
   * the endpoint.
   */
  static String permissionFor(GraphApiError error, GraphRequest request, Login login) {
    String permission = permissionFor(error, request);
    return login == Login.INSTAGRAM
        ? permission
            .replace("instagram_basic", "instagram_business_basic")
            .replace("instagram_manage_insights", "instagram_business_manage_insights")
        : permission;
  }

  static String permissionFor(GraphApiError error, GraphRequest request) {
    Matcher named = REQUIRED_PERMISSION.matcher(error.message());
    if (named.find()) {
      return named.group(1);
    }
    String path = request.path();
    if (path.startsWith("me/accounts")) {
      return "pages_show_list";
    }
    if (path.endsWith("/insights")
        || String.valueOf(request.params().get("fields")).contains("insights")) {
      // Insights need both, and code 10 does not say which one is missing.
      return "instagram_basic and instagram_manage_insights";
    }
    // Code 10 on an Instagram node or edge: reading Instagram objects at all needs instagram_basic.
    return "instagram_basic";
  }
}
