package io.instabeam.pipeline.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.pipeline.ConfigException;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.transforms.RecordShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The state file: a JSON array of Airbyte per-stream state messages, so an Airbyte connection's exported state
 * works as is. The {@code user_insights} message holds one cursor per business account:
 * {@code {"partition":{"business_account_id":"…"},"cursor":{"date":"2025-06-28T07:00:00+00:00"}}}. Airbyte's legacy
 * form {@code {"<business_account_id>": {"date": …}}} is accepted on input. Messages of other streams are kept.
 */
public final class StateFile implements java.io.Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String text;
  private final TreeMap<String, String> cursors;

  private StateFile(String text, Map<String, String> cursors) {
    this.text = text;
    this.cursors = new TreeMap<>(cursors);
  }

  public static StateFile empty() {
    return new StateFile("[]", new TreeMap<>());
  }

  /** Reads {@code path}; a missing file is an empty state (first run); a malformed one is a config error. */
  public static StateFile read(String path) {
    if (path == null || path.isBlank()) {
      return empty();
    }
    try {
      MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (match.metadata().isEmpty()) {
        return empty();
      }
      try (InputStream in = Channels.newInputStream(FileSystems.open(match.metadata().get(0).resourceId()))) {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
      }
    } catch (IOException e) {
      throw ConfigException.of("state", path, "it cannot be read (" + e.getMessage() + "); check the path and "
          + "permissions");
    }
  }

  /** Parses a state file's text; {@code path} only names it in error messages. */
  public static StateFile parse(String text, String path) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw malformed(path, "it is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    Map<String, String> cursors = new TreeMap<>();
    if (root == null || root.isMissingNode()) {
      return new StateFile("[]", cursors);
    }
    if (root.isArray()) {
      for (JsonNode message : root) {
        JsonNode stream = message.path("stream");
        if (StreamCatalog.USER_INSIGHTS.equals(stream.path("stream_descriptor").path("name").asText())) {
          readPartitions(stream.path("stream_state"), cursors, path);
        }
      }
      return new StateFile(text, cursors);
    }
    if (root.isObject() && root.has("states")) {
      readPartitions(root, cursors, path);
      return new StateFile("[]", cursors);
    }
    if (root.isObject()) {
      // Airbyte's legacy per-account form: {"<business_account_id>": {"date": "…"}}
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        cursors.put(entry.getKey(), date(entry.getValue().path("date"), path));
      }
      return new StateFile("[]", cursors);
    }
    throw malformed(path, "expected a JSON array of Airbyte state messages");
  }

  private static void readPartitions(JsonNode streamState, Map<String, String> cursors, String path) {
    for (JsonNode partition : streamState.path("states")) {
      String account = partition.path("partition").path("business_account_id").asText("");
      if (account.isEmpty()) {
        throw malformed(path, "a user_insights state has no partition.business_account_id");
      }
      cursors.put(account, date(partition.path("cursor").path("date"), path));
    }
  }

  private static String date(JsonNode value, String path) {
    String text = value.asText("");
    String normalized = RecordShape.rfc3339(text);
    try {
      OffsetDateTime.parse(normalized);
      return normalized;
    } catch (DateTimeParseException e) {
      throw malformed(path, "cursor date '" + text + "' is not a timestamp like 2025-06-28T07:00:00+00:00");
    }
  }

  private static ConfigException malformed(String path, String why) {
    return ConfigException.of("state", path, "the state file is malformed: " + why + ". Fix or remove it; instabeam "
        + "did not modify it");
  }

  /** The watermark per business account. */
  public Map<String, Instant> watermarks() {
    Map<String, Instant> watermarks = new TreeMap<>();
    cursors.forEach((account, date) -> watermarks.put(account, OffsetDateTime.parse(date).toInstant()));
    return watermarks;
  }

  public Map<String, String> cursors() {
    return Map.copyOf(cursors);
  }

  /** This state advanced by {@code newCursors}: each account keeps the later of its old and new date. */
  public StateFile advancedBy(Map<String, String> newCursors) {
    Map<String, String> merged = new TreeMap<>(cursors);
    newCursors.forEach((account, date) -> merged.merge(account, date,
        (a, b) -> OffsetDateTime.parse(a).isAfter(OffsetDateTime.parse(b)) ? a : b));
    return new StateFile(text, merged);
  }

  /** The file's text: the messages of other streams as they were, and the user_insights message rebuilt. */
  public String toJson() {
    ArrayNode messages = JSON.createArrayNode();
    try {
      JsonNode old = JSON.readTree(text);
      if (old != null && old.isArray()) {
        old.forEach(m -> {
          if (!StreamCatalog.USER_INSIGHTS.equals(m.path("stream").path("stream_descriptor").path("name").asText())) {
            messages.add(m);
          }
        });
      }
    } catch (IOException e) {
      throw new IllegalStateException("state text was validated at read time", e);
    }
    ObjectNode message = messages.addObject();
    message.put("type", "STREAM");
    ObjectNode stream = message.putObject("stream");
    stream.putObject("stream_descriptor").put("name", StreamCatalog.USER_INSIGHTS);
    ArrayNode states = stream.putObject("stream_state").putArray("states");
    cursors.forEach((account, date) -> {
      ObjectNode state = states.addObject();
      state.putObject("partition").put("business_account_id", account);
      state.putObject("cursor").put("date", date);
    });
    return messages.toPrettyString() + "\n";
  }

  /** Writes the state atomically: to a temporary file beside it, then renamed over it. */
  public void write(String path, String runId) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temporary = FileSystems.matchNewResource(path + "." + runId + ".tmp", false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.TEXT))) {
      out.write(toJson().getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(temporary), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
