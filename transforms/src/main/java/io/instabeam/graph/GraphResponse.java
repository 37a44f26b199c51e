package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;

/** The outcome of one request after the client's retries: a body, or the error that ended it. */
public record GraphResponse(GraphRequest request, JsonNode body, GraphApiError error) {

  public static GraphResponse ok(GraphRequest request, JsonNode body) {
    return new GraphResponse(request, body, null);
  }

  public static GraphResponse failed(GraphRequest request, GraphApiError error) {
    return new GraphResponse(request, null, error);
  }

  public boolean isOk() {
    return error == null;
  }

  /** The body, or the operator's exception for the error. */
  public JsonNode bodyOrThrow() {
    if (error != null) {
      throw new GraphApiException(ErrorPolicy.operatorMessage(error, request), error);
    }
    return body;
  }
}
