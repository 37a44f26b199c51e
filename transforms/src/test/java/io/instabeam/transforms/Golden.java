package io.instabeam.transforms;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Golden files under {@code golden/<stream>/}: {@code routes.json} (the recorded-style responses
 * the fixture Graph API serves, and the exact requests they answer) and {@code
 * <stream>.expected.jsonl} (the records Airbyte emits for them, written by hand from Airbyte's
 * source-instagram connector: its manifest.yaml and components.py). Records are compared as JSON
 * trees, in any order.
 */
final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Golden() {}

  /** Serves the routes of {@code golden/<stream>/routes.json} from {@code api}. */
  static void serve(FixtureGraphApi api, String stream) {
    for (JsonNode route : read("golden/" + stream + "/routes.json")) {
      Map<String, String> params = new HashMap<>();
      route
          .path("params")
          .fields()
          .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
      api.route(
          route.path("path").asText(),
          params,
          route.path("status").asInt(200),
          "golden/" + stream + "/" + route.path("response").asText());
    }
  }

  /** The lines of {@code golden/<stream>/<stream>.expected.jsonl}. */
  static List<String> expected(String stream) {
    List<String> lines = new ArrayList<>();
    for (String line :
        FixtureGraphApi.resource("golden/" + stream + "/" + stream + ".expected.jsonl")
            .split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * A PAssert check: the records equal {@code stream}'s expected records as JSON trees, in any
   * order.
   */
  static SerializableFunction<Iterable<String>, Void> equalsExpected(String stream) {
    return actual -> {
      assertRecordsEqual(stream, expected(stream), actual);
      return null;
    };
  }

  static void assertRecordsEqual(
      String stream, Iterable<String> expected, Iterable<String> actual) {
    assertEquals(
        "records of " + stream + " (canonical JSON, keys sorted, records sorted)",
        canonical(expected),
        canonical(actual));
  }

  /**
   * Each record as JSON with keys sorted at every level, one per line, lines sorted: equal trees,
   * equal text.
   */
  private static String canonical(Iterable<String> records) {
    List<String> lines = new ArrayList<>();
    for (String record : records) {
      try {
        lines.add(
            CANONICAL.writeValueAsString(JSON.treeToValue(JSON.readTree(record), Object.class)));
      } catch (JsonProcessingException e) {
        throw new AssertionError("not a JSON record: " + record, e);
      }
    }
    lines.sort(null);
    return String.join("\n", lines);
  }

  static JsonNode read(String resource) {
    try {
      return JSON.readTree(FixtureGraphApi.resource(resource));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + resource, e);
    }
  }
}
