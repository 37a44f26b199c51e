package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/**
 * An error answered by the Graph API, in Meta's format ({@code
 * {"error":{"message","type","code","error_subcode", "is_transient","fbtrace_id"}}}), or a
 * transport fault (no Graph error body) with {@code code == 0}.
 */
public record GraphApiError(
    int httpStatus,
    int code,
    int subcode,
    String type,
    String message,
    boolean isTransient,
    String fbtraceId,
    String userTitle)
    implements Serializable {

  /**
   * Parses Meta's error body; a body without an {@code error} object becomes a transport error of
   * that status.
   */
  public static GraphApiError fromBody(int httpStatus, JsonNode body) {
    JsonNode error = body == null ? null : body.get("error");
    if (error == null || !error.isObject()) {
      return transport(httpStatus, "HTTP " + httpStatus + " without a Graph API error body");
    }
    return new GraphApiError(
        httpStatus,
        error.path("code").asInt(0),
        error.path("error_subcode").asInt(0),
        error.path("type").asText(""),
        error.path("message").asText(""),
        error.path("is_transient").asBoolean(false),
        error.path("fbtrace_id").asText(""),
        error.path("error_user_title").asText(""));
  }

  /** This error with every occurrence of {@code token} masked in its texts. */
  public GraphApiError redactedBy(AccessToken token) {
    return new GraphApiError(
        httpStatus,
        code,
        subcode,
        type,
        token.redact(message),
        isTransient,
        fbtraceId,
        token.redact(userTitle));
  }

  /**
   * The type of an answer that came with a success status but cannot be read: retried like a
   * transient fault.
   */
  public static final String MALFORMED_ANSWER = "MalformedAnswer";

  /**
   * The type of an answer whose own ids name another object than the request asked about (a
   * mixed-up batch).
   */
  public static final String MISMATCHED_ANSWER = "MismatchedAnswer";

  /**
   * The type of a wait (Meta's regain time, Retry-After) longer than the request's retry time has
   * left.
   */
  public static final String WAIT_TOO_LONG = "WaitTooLong";

  public static GraphApiError transport(int httpStatus, String message) {
    return new GraphApiError(httpStatus, 0, 0, "", message, false, "", "");
  }

  /**
   * An answer of {@code httpStatus} (a success) whose body is not what the request must get;
   * transient.
   */
  static GraphApiError malformedAnswer(int httpStatus, String message) {
    return new GraphApiError(httpStatus, 0, 0, MALFORMED_ANSWER, message, true, "", "");
  }

  /**
   * An answer about another object than the request's; transient, but retried only once (see
   * ErrorPolicy).
   */
  static GraphApiError mismatchedAnswer(int httpStatus, String message) {
    return new GraphApiError(httpStatus, 0, 0, MISMATCHED_ANSWER, message, true, "", "");
  }

  /**
   * A wait that would outlast the request's retry time: {@code message} says who asked for it and
   * until when.
   */
  static GraphApiError waitTooLong(String message) {
    return new GraphApiError(0, 0, 0, WAIT_TOO_LONG, message, false, "", "");
  }

  /**
   * One line for logs and messages: {@code (#100/2108006) Invalid parameter [HTTP 400, fbtrace_id
   * X]}.
   */
  public String summary() {
    String codes =
        code == 0 ? "" : "(code " + code + (subcode == 0 ? "" : ", subcode " + subcode) + ") ";
    String trace = fbtraceId.isEmpty() ? "" : ", fbtrace_id " + fbtraceId;
    return codes + message + " [HTTP " + httpStatus + trace + "]";
  }
}
