package io.instabeam.graph;

/**
 * A Graph API request that failed for good: the policy did not retry it, or retries ran out. The
 * message is meant for the operator: what failed, and what to do about it. It never contains the
 * access token.
 */
public class GraphApiException extends RuntimeException {
  private final GraphApiError error;

  public GraphApiException(String message, GraphApiError error) {
    super(message);
    this.error = error;
  }

  public GraphApiError error() {
    return error;
  }
}
