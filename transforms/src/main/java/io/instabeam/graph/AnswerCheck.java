package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a successful answer must look like to be read, checked for every request in one place: an
 * edge lists its items in a {@code data} list of objects (single GETs and batch sub-requests
 * alike), and a batch sub-request's answer names, by its own ids, the object the sub-request asked
 * about (batch answers are matched to their requests by position only). An answer that fails the
 * check is an error of its request, never an empty or a wrong result: a proxy, a half-deployed
 * Graph API change or a mixed-up batch serves such answers.
 */
final class AnswerCheck {
  private static final String INSIGHTS = "/insights/";

  private AnswerCheck() {}

  /**
   * The error of an answer {@code body} (status {@code httpStatus}) to {@code request}, a
   * sub-request of a batch when {@code inBatch}; null when it is usable.
   */
  static GraphApiError problem(
      GraphRequest request, int httpStatus, JsonNode body, boolean inBatch) {
    if (request.isEdge()) {
      JsonNode data = body.get("data");
      if (data == null || data.isNull()) {
        return GraphApiError.malformedAnswer(httpStatus, "the answer has no \"data\" list");
      }
      if (!data.isArray()) {
        return GraphApiError.malformedAnswer(
            httpStatus, "the answer's \"data\" is a " + type(data) + ", not a list");
      }
      for (JsonNode item : data) {
        if (!item.isObject()) {
          return GraphApiError.malformedAnswer(
              httpStatus,
              "the answer's \"data\" holds a " + type(item) + " where an object belongs");
        }
      }
    }
    String mismatch = inBatch ? mismatch(request, body) : null;
    return mismatch == null ? null : GraphApiError.mismatchedAnswer(httpStatus, mismatch);
  }

  /**
   * How the answer's own ids disagree with the request, or null: a node's {@code id} must be the
   * node asked for; an insights value's id ({@code {object}/insights/{metric}/{period}}) must name
   * the object and the period asked for, and a breakdown's {@code dimension_keys} the breakdown
   * asked for (after the timeframe, if one was asked).
   */
  private static String mismatch(GraphRequest request, JsonNode body) {
    String path = request.path();
    if (!request.isEdge()) {
      JsonNode id = body.get("id");
      boolean byId = !path.isEmpty() && path.chars().allMatch(Character::isDigit);
      return byId && id != null && id.isValueNode() && !id.asText().equals(path)
          ? "the answer is about object " + id.asText() + ", not " + path
          : null;
    }
    if (!path.endsWith("/insights")) {
      return null;
    }
    String object = path.substring(0, path.length() - "/insights".length());
    String period = request.params().get("period");
    String breakdown = request.params().get("breakdown");
    for (JsonNode value : body.get("data")) {
      String id = value.path("id").asText("");
      int at = id.indexOf(INSIGHTS);
      if (at >= 0) {
        String[] metricAndPeriod = id.substring(at + INSIGHTS.length()).split("/");
        if (!id.substring(0, at).equals(object)) {
          return "the answer holds insights of "
              + id.substring(0, at)
              + " (id "
              + id
              + "), not of "
              + object;
        }
        if (period != null && metricAndPeriod.length == 2 && !metricAndPeriod[1].equals(period)) {
          return "the answer holds period "
              + metricAndPeriod[1]
              + " (id "
              + id
              + "), not "
              + period;
        }
      }
      JsonNode keys = value.path("total_value").path("breakdowns").path(0).path("dimension_keys");
      if (breakdown != null && keys.isArray()) {
        List<String> named = new ArrayList<>();
        keys.forEach(key -> named.add(key.asText()));
        // With a timeframe asked for, Meta's first dimension is the timeframe itself: ["timeframe",
        // "city"].
        String asked =
            request.params().containsKey("timeframe") ? "timeframe," + breakdown : breakdown;
        if (!String.join(",", named).equals(asked)) {
          return "the answer is broken down by " + String.join(",", named) + ", not " + breakdown;
        }
      }
    }
    return null;
  }

  /**
   * Whether a successful answer names, by its own ids, the object {@code request} asked about: a
   * node's {@code id}, or an insights value's id. An error or an empty list names nothing, so in a
   * batch that mixed answers up it cannot be trusted either.
   */
  static boolean namesItsObject(GraphRequest request, JsonNode body) {
    String path = request.path();
    if (!request.isEdge()) {
      return body.path("id").asText("").equals(path);
    }
    String object =
        path.endsWith("/insights") ? path.substring(0, path.length() - "/insights".length()) : null;
    for (JsonNode value : body.path("data")) {
      if (object != null && value.path("id").asText("").startsWith(object + INSIGHTS)) {
        return true;
      }
    }
    return false;
  }

  private static String type(JsonNode node) {
    return node.getNodeType().name().toLowerCase();
  }
}
