package io.instabeam.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** The one shared Jackson mapper and the small JSON shapes used in several places. */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  static byte[] bytes(JsonNode node) {
    return string(node).getBytes(StandardCharsets.UTF_8);
  }

  static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode usage(Usage u, boolean withRegain) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("call_count", u.callCount());
    node.put("total_cputime", u.totalCputime());
    node.put("total_time", u.totalTime());
    if (withRegain) {
      node.put("estimated_time_to_regain_access", u.estimatedTimeToRegainAccess());
    }
    return node;
  }
}
