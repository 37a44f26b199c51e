package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.SyncMode;
import io.instabeam.transforms.Login;
import io.instabeam.transforms.MetricCatalog;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code discover} command: the stream catalog as JSON (streams, primary keys, cursor fields, sync modes,
 * schemas, and per metric set the fields and metrics each stream requests, from {@link MetricCatalog}), in the shape
 * of an Airbyte catalog; with {@code --erd}, a Mermaid entity-relationship diagram.
 */
final class Discover {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The relations between streams: child, parent, the child's key and what it points to. */
  private static final List<String[]> RELATIONS = List.of(
      new String[] {"users", "Api", "||--||", "users.id = Api.account.business_account_id"},
      new String[] {"users", "user_lifetime_insights", "||--o{", "business_account_id"},
      new String[] {"users", "user_insights", "||--o{", "business_account_id"},
      new String[] {"users", "media", "||--o{", "business_account_id"},
      new String[] {"media", "media_insights", "||--o|", "id"},
      new String[] {"users", "stories", "||--o{", "business_account_id"},
      new String[] {"stories", "story_insights", "||--o|", "id"});

  private Discover() {}

  static String catalog() {
    ObjectNode catalog = JSON.createObjectNode();
    ArrayNode streams = catalog.putArray("streams");
    ObjectNode requests = MetricCatalog.describe(Login.FACEBOOK, GraphApiConfig.DEFAULT_API_VERSION);
    for (StreamDefinition stream : StreamCatalog.all()) {
      ObjectNode node = streams.addObject();
      node.put("name", stream.name());
      // What each metric set requests for the stream (fields, metrics per object kind), from the metric catalog.
      ObjectNode sets = JSON.createObjectNode();
      requests.fields().forEachRemaining(set -> {
        if (set.getValue().has(stream.name())) {
          sets.set(set.getKey(), set.getValue().get(stream.name()));
        }
      });
      if (!sets.isEmpty()) {
        node.set("instabeam_requests", sets);
      }
      ArrayNode key = node.putArray("source_defined_primary_key");
      if (!stream.primaryKey().isEmpty()) {
        stream.primaryKey().forEach(field -> key.addArray().add(field));
      }
      stream.cursorField().ifPresent(cursor -> node.putArray("default_cursor_field").add(cursor));
      node.put("source_defined_cursor", stream.isIncremental());
      ArrayNode modes = node.putArray("supported_sync_modes");
      modes.add("full_refresh");
      if (stream.isIncremental()) {
        modes.add("incremental");
      }
      ArrayNode syncModes = node.putArray("instabeam_sync_modes");
      stream.syncModes().stream().map(SyncMode::optionValue).forEach(syncModes::add);
      node.put("default_sync_mode", stream.defaultSyncMode().optionValue());
      node.set("json_schema", stream.jsonSchema());
    }
    return catalog.toPrettyString();
  }

  /** A Mermaid erDiagram: each stream's top-level fields with their types and keys, and the relations. */
  static String erd() {
    StringBuilder text = new StringBuilder("erDiagram\n");
    for (String[] relation : RELATIONS) {
      text.append("  ").append(relation[0]).append(' ').append(relation[2]).append(' ').append(relation[1])
          .append(" : \"").append(relation[3]).append("\"\n");
    }
    for (StreamDefinition stream : StreamCatalog.all()) {
      text.append("  ").append(stream.name()).append(" {\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = stream.jsonSchema().path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        text.append("    ").append(type(field.getValue())).append(' ').append(field.getKey());
        if (stream.primaryKey().contains(field.getKey())) {
          text.append(" PK");
        } else if (field.getKey().equals("business_account_id") || field.getKey().equals("page_id")) {
          text.append(" FK");
        }
        text.append('\n');
      }
      text.append("  }\n");
    }
    return text.toString();
  }

  private static String type(JsonNode schema) {
    if ("date-time".equals(schema.path("format").asText())) {
      return "timestamp";
    }
    for (JsonNode type : schema.path("type")) {
      if (!type.asText().equals("null")) {
        return type.asText();
      }
    }
    return schema.path("type").asText("string");
  }
}
