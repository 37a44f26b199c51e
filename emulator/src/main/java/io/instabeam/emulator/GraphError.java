package io.instabeam.emulator;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A Graph API error, rendered in Meta's format {@code
 * {"error":{"message","type","code","error_subcode","is_transient","error_user_title","error_user_msg","fbtrace_id"}}}.
 * The factory methods hold the exact messages Meta serves.
 */
final class GraphError extends RuntimeException {
  static final String NO_PERMISSION = "(#10) Application does not have permission for this action";

  final int httpStatus;
  final String type;
  final int code;
  final Integer subcode;
  final boolean transientError;
  final String userTitle;
  final String userMessage;

  /** Meta adds {@code "error_data":{"blame_field_specs":[[""]]}} to the 2108006 body. */
  final boolean blameFieldSpecs;

  private GraphError(
      int httpStatus,
      String message,
      String type,
      int code,
      Integer subcode,
      boolean transientError,
      String userTitle,
      String userMessage,
      boolean blameFieldSpecs) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.type = type;
    this.code = code;
    this.subcode = subcode;
    this.transientError = transientError;
    this.userTitle = userTitle;
    this.userMessage = userMessage;
    this.blameFieldSpecs = blameFieldSpecs;
  }

  static GraphError of(
      int httpStatus,
      String message,
      String type,
      int code,
      Integer subcode,
      boolean transientError) {
    return new GraphError(
        httpStatus, message, type, code, subcode, transientError, null, null, false);
  }

  /** Code 100 "(#100) …" parameter errors. */
  static GraphError invalidParameter(String message) {
    return of(400, "(#100) " + message, "OAuthException", 100, null, false);
  }

  static GraphError unsupportedGet(String id) {
    return of(
        400,
        "Unsupported get request. Object with ID '"
            + id
            + "' does not exist, cannot be loaded due to missing "
            + "permissions, or does not support this operation. Please read the Graph API documentation at "
            + "https://developers.facebook.com/docs/graph-api",
        "GraphMethodException",
        100,
        33,
        false);
  }

  static GraphError unknownPath(String component) {
    return of(400, "Unknown path components: /" + component, "OAuthException", 2500, null, false);
  }

  static GraphError nonexistingField(String field, String nodeType) {
    return invalidParameter(
        "Tried accessing nonexisting field (" + field + ") on node type (" + nodeType + ")");
  }

  static GraphError invalidToken() {
    return of(
        400,
        "Invalid OAuth access token - Cannot parse access token",
        "OAuthException",
        190,
        null,
        false);
  }

  private static final DateTimeFormatter EXPIRY =
      DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US)
          .withZone(ZoneId.of("America/Los_Angeles"));

  /** Meta prints both instants in Pacific time. */
  static GraphError sessionExpired(Instant expiredAt, Instant now) {
    return of(
        400,
        "Error validating access token: Session has expired on "
            + EXPIRY.format(expiredAt)
            + ". The current time is "
            + EXPIRY.format(now)
            + ".",
        "OAuthException",
        190,
        463,
        false);
  }

  static GraphError noPermission() {
    return of(400, NO_PERMISSION, "OAuthException", 10, null, false);
  }

  /**
   * Meta's 200-299 family is "permission not granted"; {@code /me/accounts} needs pages_show_list.
   */
  static GraphError missingPagePermission(String permission) {
    return of(
        400,
        "(#200) Requires " + permission + " permission to manage the object",
        "OAuthException",
        200,
        null,
        false);
  }

  /**
   * Business Discovery asked about a username that is not a professional (business or creator)
   * account, or none: Meta answers both alike, code 110 subcode 2207013.
   */
  static GraphError userNotFound(String username) {
    return new GraphError(
        400,
        "Invalid user id",
        "OAuthException",
        110,
        2207013,
        false,
        "Cannot find User",
        "The user with username: " + username + " cannot be found.",
        false);
  }

  static GraphError postedBeforeBusiness() {
    return new GraphError(
        400,
        "Invalid parameter",
        "OAuthException",
        100,
        2108006,
        false,
        "Media posted before business account conversion",
        "The media was posted before the most recent time that the user's account was converted to a business account from a personal account.",
        true);
  }

  static GraphError notEnoughViewers() {
    return of(
        400,
        "(#10) Not enough viewers for the media to show insights",
        "OAuthException",
        10,
        null,
        false);
  }

  static GraphError unsupportedMetricForProduct(String metric) {
    return invalidParameter(
        "The Media Insights API does not support the "
            + metric
            + " metric for this media product type.");
  }

  static GraphError accountBudgetExceeded() {
    return new GraphError(
        400,
        "There have been too many calls to this Instagram account. Wait a bit and try again.",
        "OAuthException",
        80002,
        null,
        true,
        null,
        null,
        false);
  }

  /** App-level throttles, codes 4 / 17 / 32 / 613 as listed in Meta's rate-limiting guide. */
  static GraphError appBudgetExceeded(int code) {
    switch (code) {
      case 17:
        return of(400, "(#17) User request limit reached", "OAuthException", 17, null, true);
      case 32:
        return of(400, "(#32) Page request limit reached", "OAuthException", 32, null, true);
      case 613:
        return of(
            400,
            "(#613) Calls to this api have exceeded the rate limit.",
            "OAuthException",
            613,
            null,
            true);
      default:
        return of(400, "(#4) Application request limit reached", "OAuthException", 4, null, true);
    }
  }

  /**
   * The Graph error body of an injected fault: HTTP 500 code 2, HTTP 500 code 1 or HTTP 400 code 2,
   * all transient; null for the faults that have no Graph body (503 from the front proxy, dropped
   * or truncated answers).
   */
  static GraphError injected(FaultPlan.Fault fault) {
    switch (fault) {
      case HTTP_500:
        return of(
            500,
            "An unexpected error has occurred. Please retry your request later.",
            "OAuthException",
            2,
            null,
            true);
      case TRANSIENT_500:
        return of(500, "An unknown error occurred", "OAuthException", 1, null, true);
      case TRANSIENT_400:
        return of(400, "(#2) Service temporarily unavailable", "OAuthException", 2, null, true);
      default:
        return null;
    }
  }

  String message() {
    return getMessage();
  }
}
