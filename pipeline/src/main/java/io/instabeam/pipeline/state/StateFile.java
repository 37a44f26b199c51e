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
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * The state file: a JSON array of Airbyte per-stream state messages, so an Airbyte connection's
 * exported state works as is. The message of an incremental stream holds one cursor per business
 * account, named after the stream's cursor field: {@code
 * {"partition":{"business_account_id":"…"},"cursor":{"date":"2025-06-28T07:00:00+00:00"}}}.
 * Airbyte's legacy {@code user_insights} form {@code {"<business_account_id>": {"date": …}}} is
 * accepted on input. Messages of other streams are kept as they are. A {@code media_insights}
 * partition also keeps each post's engagement when its insights were last considered ({@code
 * "engagement":{"<media id>":"<likes>,<comments>"}}), so the next run reads again the insights of
 * the posts whose likes or comments moved.
 */
public final class StateFile implements java.io.Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter CURSOR =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private final String text;

  /** Per incremental stream, its cursor per business account. */
  private final TreeMap<String, TreeMap<String, String>> cursors;

  /**
   * Per stream, per business account, each item's engagement ({@code likes,comments}) by item id.
   */
  private final TreeMap<String, TreeMap<String, TreeMap<String, String>>> engagement;

  private StateFile(
      String text,
      Map<String, ? extends Map<String, String>> cursors,
      Map<String, ? extends Map<String, ? extends Map<String, String>>> engagement) {
    this.text = text;
    this.cursors = new TreeMap<>();
    cursors.forEach((stream, perAccount) -> this.cursors.put(stream, new TreeMap<>(perAccount)));
    this.engagement = new TreeMap<>();
    engagement.forEach(
        (stream, perAccount) -> {
          TreeMap<String, TreeMap<String, String>> copy = new TreeMap<>();
          perAccount.forEach((account, items) -> copy.put(account, new TreeMap<>(items)));
          this.engagement.put(stream, copy);
        });
  }

  public static StateFile empty() {
    return new StateFile("[]", Map.of(), Map.of());
  }

  /**
   * Reads {@code path}; a missing file is an empty state (first run); a malformed one is a config
   * error.
   */
  public static StateFile read(String path) {
    if (path == null || path.isBlank()) {
      return empty();
    }
    try {
      MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
      if (match.metadata().isEmpty()) {
        return empty();
      }
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(match.metadata().get(0).resourceId()))) {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), path);
      }
    } catch (IOException e) {
      throw ConfigException.of(
          "state",
          path,
          "it cannot be read (" + e.getMessage() + "); check the path and " + "permissions");
    }
  }

  /**
   * Parses a state file's text; {@code path} only names it in error messages. Accepted: the array
   * of per-stream messages (Airbyte protocol {@code
   * {"type":"STREAM","stream":{"stream_descriptor":…,"stream_state":…}}}, or the camelCase {@code
   * {"streamDescriptor":…,"streamState":…}} that Airbyte's UI and API show), a bare {@code
   * user_insights} stream state {@code {"states":[…]}}, and the legacy {@code {"<id>":{"date":…}}};
   * the last two also as the {@code stream_state} of a message.
   */
  public static StateFile parse(String text, String path) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw malformed(
          path, "it is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    if (root == null || root.isMissingNode()) {
      // An empty file is more likely a broken copy than a first run: restarting from --startDate
      // would be a surprise.
      throw malformed(path, "it is empty (a first run needs no file at all)");
    }
    Map<String, Map<String, String>> cursors = new TreeMap<>();
    Map<String, Map<String, Map<String, String>>> engagement = new TreeMap<>();
    if (root.isArray()) {
      for (JsonNode message : root) {
        if (!message.isObject()) {
          throw malformed(
              path,
              "its array holds "
                  + message.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                  + " values; expected Airbyte state messages (objects)");
        }
        String stream = streamName(message);
        if (isIncremental(stream)) {
          readStreamState(
              stream,
              streamState(message),
              cursors.computeIfAbsent(stream, s -> new TreeMap<>()),
              engagement.computeIfAbsent(stream, s -> new TreeMap<>()),
              path);
        }
      }
      // A stream without cursors keeps its message as it was (e.g. Airbyte's empty state of a
      // full-refresh stream).
      cursors.values().removeIf(Map::isEmpty);
      return new StateFile(text, cursors, engagement);
    }
    if (root.isObject()) {
      readStreamState(
          StreamCatalog.USER_INSIGHTS,
          root,
          cursors.computeIfAbsent(StreamCatalog.USER_INSIGHTS, s -> new TreeMap<>()),
          new TreeMap<>(),
          path);
      return new StateFile("[]", cursors, Map.of());
    }
    throw malformed(path, "expected a JSON array of Airbyte state messages");
  }

  /**
   * The stream a message is about, in the protocol's snake_case or the API's camelCase form; null
   * if none.
   */
  private static String streamName(JsonNode message) {
    JsonNode stream = message.has("stream") ? message.path("stream") : message;
    JsonNode descriptor =
        stream.has("stream_descriptor")
            ? stream.path("stream_descriptor")
            : stream.path("streamDescriptor");
    return descriptor.path("name").textValue();
  }

  private static JsonNode streamState(JsonNode message) {
    JsonNode stream = message.has("stream") ? message.path("stream") : message;
    return stream.has("stream_state") ? stream.path("stream_state") : stream.path("streamState");
  }

  private static boolean isIncremental(String stream) {
    return stream != null
        && StreamCatalog.names().contains(stream)
        && StreamCatalog.get(stream).isIncremental();
  }

  private static String cursorField(String stream) {
    return StreamCatalog.get(stream).cursorField().orElseThrow();
  }

  /**
   * An incremental stream's state: per partition ({@code {"states":[…]}}), or for user_insights
   * also Airbyte's legacy form ({@code {"<id>":{"date":…}}}).
   */
  private static void readStreamState(
      String stream,
      JsonNode streamState,
      Map<String, String> cursors,
      Map<String, Map<String, String>> engagement,
      String path) {
    if (streamState.isMissingNode() || streamState.isNull()) {
      return;
    }
    if (!streamState.isObject()) {
      throw malformed(path, "the " + stream + " stream state is not an object");
    }
    if (streamState.has("states")) {
      if (!streamState.path("states").isArray()) {
        throw malformed(path, stream + " \"states\" is not an array");
      }
      for (JsonNode partition : streamState.path("states")) {
        String account = partition.path("partition").path("business_account_id").asText("");
        if (account.isEmpty()) {
          throw malformed(path, "a " + stream + " state has no partition.business_account_id");
        }
        putLater(cursors, account, date(partition.path("cursor").path(cursorField(stream)), path));
        JsonNode items = partition.path("engagement");
        if (!items.isMissingNode() && !items.isObject()) {
          throw malformed(
              path, "the " + stream + " engagement of account " + account + " is not an object");
        }
        items
            .fields()
            .forEachRemaining(
                item ->
                    engagement
                        .computeIfAbsent(account, a -> new TreeMap<>())
                        .put(item.getKey(), item.getValue().asText()));
      }
      return;
    }
    if (!stream.equals(StreamCatalog.USER_INSIGHTS)) {
      if (streamState.isEmpty()) {
        return; // Airbyte exports an empty state for its full-refresh streams (media, stories)
      }
      throw malformed(path, "the " + stream + " stream state has no \"states\" array");
    }
    // Airbyte's legacy per-account form (Python connector): {"<business_account_id>": {"date":
    // "…"}}
    for (Iterator<Map.Entry<String, JsonNode>> it = streamState.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isObject() || !entry.getValue().has("date")) {
        throw malformed(
            path,
            "expected the legacy form {\"<business_account_id>\": {\"date\": …}}, but '"
                + entry.getKey()
                + "' has no date");
      }
      putLater(cursors, entry.getKey(), date(entry.getValue().path("date"), path));
    }
  }

  private static void putLater(Map<String, String> cursors, String account, String date) {
    cursors.merge(account, date, StateFile::later);
  }

  static String later(String a, String b) {
    return OffsetDateTime.parse(a).isBefore(OffsetDateTime.parse(b)) ? b : a;
  }

  /**
   * A cursor date, rewritten as Airbyte writes it ({@code 2025-06-28T07:00:00+00:00}, the only
   * format its state parser accepts), so a state that went through instabeam can go back to
   * Airbyte.
   */
  private static String date(JsonNode value, String path) {
    String text = value.asText("");
    try {
      return OffsetDateTime.parse(RecordShape.rfc3339(text))
          .withOffsetSameInstant(ZoneOffset.UTC)
          .format(CURSOR);
    } catch (DateTimeParseException e) {
      throw malformed(
          path, "cursor date '" + text + "' is not a timestamp like 2025-06-28T07:00:00+00:00");
    }
  }

  private static ConfigException malformed(String path, String why) {
    return ConfigException.of(
        "state",
        path,
        "the state file is malformed: "
            + why
            + ". Fix or remove it; instabeam "
            + "did not modify it");
  }

  /**
   * This state, if no cursor lies after {@code now}. A cursor in the future (a hand edit, a clock
   * that was ahead) would make {@code user_insights} read nothing and write the same cursor back,
   * silencing it run after run.
   */
  public StateFile requireCursorsNotAfter(Instant now, String path) {
    cursors.forEach(
        (stream, perAccount) ->
            perAccount.forEach(
                (account, cursor) -> {
                  if (OffsetDateTime.parse(cursor).toInstant().isAfter(now)) {
                    throw ConfigException.of(
                        "state",
                        path,
                        "the "
                            + stream
                            + " cursor of account "
                            + account
                            + " is "
                            + cursor
                            + ", after now ("
                            + now
                            + "); no data is newer than now. Fix or remove that cursor (instabeam did not "
                            + "modify the file), or check this machine's clock");
                  }
                }));
    return this;
  }

  /** The watermark per business account of {@code stream} (empty if the state holds none). */
  public Map<String, Instant> watermarks(String stream) {
    Map<String, Instant> watermarks = new TreeMap<>();
    cursors(stream)
        .forEach(
            (account, date) -> watermarks.put(account, OffsetDateTime.parse(date).toInstant()));
    return watermarks;
  }

  /** The cursor per business account of {@code stream}, as written in the file. */
  public Map<String, String> cursors(String stream) {
    return Map.copyOf(cursors.getOrDefault(stream, new TreeMap<>()));
  }

  /** The streams this state holds cursors for. */
  public java.util.Set<String> streams() {
    return java.util.Collections.unmodifiableSet(cursors.keySet());
  }

  /**
   * This state with {@code stream} advanced by {@code newCursors}: each account keeps the later of
   * old and new.
   */
  public StateFile advancedBy(String stream, Map<String, String> newCursors) {
    Map<String, Map<String, String>> merged = new TreeMap<>(cursors);
    Map<String, String> perAccount = new TreeMap<>(cursors.getOrDefault(stream, new TreeMap<>()));
    newCursors.forEach((account, date) -> perAccount.merge(account, date, StateFile::later));
    merged.put(stream, perAccount);
    return new StateFile(text, merged, engagement);
  }

  /**
   * Per business account, the engagement of each item of {@code stream} when the last run read it.
   */
  public Map<String, Map<String, String>> engagement(String stream) {
    return Map.copyOf(engagement.getOrDefault(stream, new TreeMap<>()));
  }

  /**
   * This state with the engagement of the accounts in {@code read} replaced by what this run read
   * of them ({@code id=likes,comments} entries, joined by {@code ;}): the run read each such
   * account's whole edge, so items no longer listed go.
   */
  public StateFile remembering(String stream, Map<String, ? extends Iterable<String>> read) {
    Map<String, Map<String, ? extends Map<String, String>>> merged = new TreeMap<>(engagement);
    Map<String, Map<String, String>> perAccount =
        new TreeMap<>(engagement.getOrDefault(stream, new TreeMap<>()));
    read.forEach(
        (account, items) -> {
          Map<String, String> byId = new TreeMap<>();
          for (String chunk : items) {
            for (String item : chunk.split(";")) {
              byId.put(item.substring(0, item.indexOf('=')), item.substring(item.indexOf('=') + 1));
            }
          }
          perAccount.put(account, byId);
        });
    merged.put(stream, perAccount);
    return new StateFile(text, cursors, merged);
  }

  /**
   * The file's text: the messages of other streams as they were, and the incremental streams'
   * messages rebuilt.
   */
  public String toJson() {
    ArrayNode messages = JSON.createArrayNode();
    try {
      JsonNode old = JSON.readTree(text);
      if (old != null && old.isArray()) {
        old.forEach(
            m -> {
              if (!cursors.containsKey(streamName(m))) {
                messages.add(m);
              }
            });
      }
    } catch (IOException e) {
      throw new IllegalStateException("state text was validated at read time", e);
    }
    cursors.forEach(
        (name, perAccount) -> {
          ObjectNode message = messages.addObject();
          message.put("type", "STREAM");
          ObjectNode stream = message.putObject("stream");
          stream.putObject("stream_descriptor").put("name", name);
          ArrayNode states = stream.putObject("stream_state").putArray("states");
          perAccount.forEach(
              (account, cursor) -> {
                ObjectNode state = states.addObject();
                state.putObject("partition").put("business_account_id", account);
                state.putObject("cursor").put(cursorField(name), cursor);
                Map<String, String> items =
                    engagement.getOrDefault(name, new TreeMap<>()).get(account);
                if (items != null) {
                  ObjectNode byId = state.putObject("engagement");
                  items.forEach(byId::put);
                }
              });
        });
    return messages.toPrettyString() + "\n";
  }

  /**
   * Writes the state atomically: to a temporary file beside it, then renamed over it (an atomic
   * move on a local disk; on Cloud Storage the final object appears whole). Readers see the old
   * state or the new one, never half of one.
   */
  public void write(String path, String runId) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temporary = temporary(path, runId);
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(temporary, MimeTypes.TEXT))) {
      out.write(toJson().getBytes(StandardCharsets.UTF_8));
    }
    // No IGNORE_MISSING_FILES: a temporary file that vanished must fail the run, not silently keep
    // the old state.
    FileSystems.rename(List.of(temporary), List.of(target));
  }

  /**
   * Removes the temporary files that runs which died while writing the state left beside it. Called
   * while this run holds the state's lock: no other run can be writing the state then.
   */
  public static void removeLeftovers(String path) throws IOException {
    List<ResourceId> left = new java.util.ArrayList<>();
    for (MatchResult.Metadata file :
        FileSystems.match(temporary(path, "*").toString(), EmptyMatchTreatment.ALLOW).metadata()) {
      left.add(file.resourceId());
    }
    FileSystems.delete(left, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  private static ResourceId temporary(String path, String runId) {
    return FileSystems.matchNewResource(path + "." + runId + ".tmp", false);
  }
}
