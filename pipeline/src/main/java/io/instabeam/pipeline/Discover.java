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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code discover} command: the stream catalog as JSON (streams, primary keys, cursor fields,
 * sync modes, schemas, the logins that serve each stream, and per metric set the fields and metrics
 * each stream requests with the login of {@code --login}, from {@link MetricCatalog}), in the shape
 * of an Airbyte catalog, with the login's host and permissions; with {@code --erd}, a Mermaid
 * entity-relationship diagram.
 */
final class Discover {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Discover() {}

  /**
   * The login of {@code discover --login=…}: facebook (also for auto, as there is no token) or
   * instagram.
   */
  static Login login(List<String> arguments) {
    String value =
        arguments.stream()
            .filter(a -> a.startsWith("--login="))
            .map(a -> a.substring(8))
            .reduce((first, last) -> last)
            .orElse("auto");
    return JobConfig.loginOption(value).orElse(Login.FACEBOOK);
  }

  static String catalog(Login login) {
    ObjectNode catalog = JSON.createObjectNode();
    ObjectNode loginNode = catalog.putObject("instabeam_login");
    loginNode.put("login", login.optionValue());
    loginNode.put("host", login.defaultBaseUrl());
    login.permissions().forEach(loginNode.putArray("permissions")::add);
    ArrayNode streams = catalog.putArray("streams");
    ObjectNode requests = MetricCatalog.describe(login, GraphApiConfig.DEFAULT_API_VERSION);
    for (Streams.Stream entry : Streams.ALL) {
      StreamDefinition stream = entry.definition();
      ObjectNode node = streams.addObject();
      node.put("name", stream.name());
      node.put("instabeam_one_record_per", entry.recordPer());
      ArrayNode logins = node.putArray("instabeam_logins");
      entry.logins().forEach(l -> logins.add(l.optionValue()));
      // What each metric set requests for the stream (fields, metrics per object kind), from the
      // metric catalog.
      ObjectNode sets = JSON.createObjectNode();
      requests
          .fields()
          .forEachRemaining(
              set -> {
                if (set.getValue().has(stream.name()) && entry.servedBy(login)) {
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

  /**
   * A Mermaid erDiagram: each stream's top-level fields with their types and keys, and the
   * relations.
   */
  static String erd() {
    StringBuilder text = new StringBuilder("erDiagram\n");
    for (Streams.Stream stream : Streams.ALL) {
      Streams.Relation relation = stream.parent();
      if (relation != null) {
        text.append("  ")
            .append(relation.other())
            .append(' ')
            .append(relation.cardinality())
            .append(' ')
            .append(stream.name())
            .append(" : \"")
            .append(relation.key())
            .append("\"\n");
      }
    }
    for (StreamDefinition stream : Streams.definitions()) {
      text.append("  ").append(stream.name()).append(" {\n");
      for (Iterator<Map.Entry<String, JsonNode>> it =
              stream.jsonSchema().path("properties").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        text.append("    ").append(type(field.getValue())).append(' ').append(field.getKey());
        if (stream.primaryKey().contains(field.getKey())) {
          text.append(" PK");
        } else if (field.getKey().equals("business_account_id")
            || field.getKey().equals("page_id")) {
          text.append(" FK");
        }
        text.append('\n');
      }
      text.append("  }\n");
    }
    return text.toString();
  }

  /**
   * The README's table of streams: name (optional ones, Airbyte's source lacks them, and the login
   * a stream needs, if not both), what one record is, the primary key and the sync modes.
   */
  static String streamsTable() {
    StringBuilder text =
        new StringBuilder(
            "| stream | one record per | primary key | sync modes |\n|---|---|---|---|\n");
    List<StreamDefinition> defaults = StreamCatalog.defaults();
    for (Streams.Stream entry : Streams.ALL) {
      StreamDefinition stream = entry.definition();
      List<String> notes = new ArrayList<>();
      if (!defaults.contains(stream)) {
        notes.add("optional");
      }
      if (!entry.logins().containsAll(EnumSet.allOf(Login.class))) {
        entry.logins().forEach(l -> notes.add(l.title() + " only"));
      }
      String cursor = stream.cursorField().map(c -> "incremental (cursor `" + c + "`)").orElse("");
      String modes =
          !stream.isIncremental()
              ? "full refresh"
              : stream.defaultSyncMode().isIncremental()
                  ? cursor + " or full refresh"
                  : "full refresh, or " + cursor;
      text.append("| `")
          .append(stream.name())
          .append('`')
          .append(notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")")
          .append(" | ")
          .append(entry.recordPer())
          .append(" | ")
          .append(
              stream.primaryKey().isEmpty()
                  ? "none (as Airbyte)"
                  : "`" + String.join(", ", stream.primaryKey()) + "`")
          .append(" | ")
          .append(modes)
          .append(" |\n");
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
