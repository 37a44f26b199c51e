package io.instabeam.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GraphApiErrorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws JsonProcessingException {
    return JSON.readTree(text);
  }

  @Test
  void parsesMetasErrorBody() throws JsonProcessingException {
    GraphApiError error =
        GraphApiError.fromBody(
            400,
            json(
                "{\"error\": {\"message\": \"Invalid parameter\","
                    + " \"type\": \"OAuthException\", \"code\": 100, \"error_data\": {\"blame_field_specs\": [[\"\"]]},"
                    + " \"error_subcode\": 2108006, \"is_transient\": false,"
                    + " \"error_user_title\": \"Media posted before business account conversion\","
                    + " \"fbtrace_id\": \"AVul-nTRBq\"}}"));
    assertEquals(
        new GraphApiError(
            400,
            100,
            2108006,
            "OAuthException",
            "Invalid parameter",
            false,
            "AVul-nTRBq",
            "Media posted before business account conversion"),
        error);
  }

  @Test
  void readsIsTransient() throws JsonProcessingException {
    assertTrue(
        GraphApiError.fromBody(500, json("{\"error\": {\"code\": 2, \"is_transient\": true}}"))
            .isTransient());
  }

  @Test
  void missingFieldsDefaultToZeroAndEmpty() throws JsonProcessingException {
    GraphApiError error = GraphApiError.fromBody(400, json("{\"error\": {\"code\": 10}}"));
    assertEquals(new GraphApiError(400, 10, 0, "", "", false, "", ""), error);
  }

  @Test
  void aBodyWithoutErrorIsATransportErrorOfItsStatus() throws JsonProcessingException {
    GraphApiError error = GraphApiError.fromBody(502, json("{\"html\": \"Bad Gateway\"}"));
    assertEquals(0, error.code());
    assertEquals(502, error.httpStatus());
    assertFalse(error.isTransient());
  }

  @Test
  void aMissingBodyIsATransportErrorOfItsStatus() {
    GraphApiError error = GraphApiError.fromBody(503, null);
    assertEquals(0, error.code());
    assertEquals(503, error.httpStatus());
  }

  @Test
  void summaryNamesCodesMessageStatusAndTrace() {
    assertEquals(
        "(code 100, subcode 33) Unsupported get request. [HTTP 400, fbtrace_id T1]",
        new GraphApiError(
                400, 100, 33, "GraphMethodException", "Unsupported get request.", false, "T1", "")
            .summary());
  }
}
