package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.transforms.Login;

/**
 * The outcome of one request after the client's retries: a body, or the error that ended it; {@code
 * login} names the permissions in the operator's message as that login names them.
 */
public record GraphResponse(GraphRequest request, JsonNode body, GraphApiError error, Login login) {

  public static GraphResponse ok(GraphRequest request, JsonNode body) {
    return new GraphResponse(request, body, null, Login.FACEBOOK);
  }

  public static GraphResponse failed(GraphRequest request, GraphApiError error) {
    return failed(request, error, Login.FACEBOOK);
  }

  public static GraphResponse failed(GraphRequest request, GraphApiError error, Login login) {
    return new GraphResponse(request, null, error, login);
  }

  public boolean isOk() {
    return error == null;
  }

  /** The body, or the operator's exception for the error. */
  public JsonNode bodyOrThrow() {
    if (error != null) {
      throw new GraphApiException(ErrorPolicy.operatorMessage(error, request, login), error);
    }
    return body;
  }
}
