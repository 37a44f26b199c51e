package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Airbyte's record transformations: RFC 3339 timestamps, URL cleaning and insights flattening. */
public final class RecordShape {
  /**
   * Graph API timestamps ({@code 2023-06-12T19:20:02+0000}); also accepts {@code Z} and {@code
   * +00:00}.
   */
  private static final DateTimeFormatter GRAPH_TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
          .optionalStart()
          .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM:ss", "Z")
          .toFormatter();

  private static final DateTimeFormatter GRAPH_TIMESTAMP_NO_COLON =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
          .appendOffset("+HHMM", "Z")
          .toFormatter();
  private static final DateTimeFormatter RFC_3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private RecordShape() {}

  /**
   * {@code 2023-06-12T19:20:02+0000} → {@code 2023-06-12T19:20:02+00:00}; null and non-timestamps
   * stay as they are.
   */
  public static String rfc3339(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    for (DateTimeFormatter format : List.of(GRAPH_TIMESTAMP_NO_COLON, GRAPH_TIMESTAMP)) {
      try {
        return OffsetDateTime.parse(timestamp, format).format(RFC_3339);
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    return timestamp;
  }

  /** An instant as the records print times: {@code 2026-01-15T12:00:00+00:00}. */
  public static String rfc3339(java.time.Instant instant) {
    return instant.atOffset(java.time.ZoneOffset.UTC).format(RFC_3339);
  }

  /**
   * The {@code id} of a Graph API item as text, the type every schema gives ids, or null when it
   * has none it can be keyed by (missing, null, blank, or not a scalar). Meta sends ids as strings,
   * but a proxy or a client library may turn them into JSON numbers; the text of an integral number
   * is its digits, so nothing is lost.
   */
  public static String idOf(JsonNode item) {
    return idText(item.get("id"));
  }

  /** An id value as text (see {@link #idOf}), or null when it is not one. */
  public static String idText(JsonNode id) {
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
      return null;
    }
    return id.asText();
  }

  /** Rewrites the text field {@code field} of {@code record} as RFC 3339, if present. */
  public static void rfc3339(ObjectNode record, String field) {
    JsonNode value = record.get(field);
    if (value != null && value.isTextual()) {
      record.put(field, rfc3339(value.asText()));
    }
  }

  /**
   * Removes query parameter {@code name} from {@code url} the way Airbyte does (Python's {@code
   * parse_qs} then {@code urlencode}): the whole query is re-encoded even when nothing is removed,
   * so the URLs are byte-identical.
   */
  public static String withoutQueryParameter(String url, String name) {
    if (url == null || url.isEmpty()) {
      return url;
    }
    int hash = url.indexOf('#');
    String fragment = hash < 0 || hash == url.length() - 1 ? "" : url.substring(hash);
    String rest = hash < 0 ? url : url.substring(0, hash);
    int question = rest.indexOf('?');
    if (question < 0) {
      return rest + fragment;
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String segment : rest.substring(question + 1).split("&")) {
      if (segment.isEmpty()) {
        continue;
      }
      int eq = segment.indexOf('=');
      String key = decode(eq < 0 ? segment : segment.substring(0, eq));
      params
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(eq < 0 ? "" : decode(segment.substring(eq + 1)));
    }
    params.remove(name);
    StringBuilder query = new StringBuilder();
    params.forEach(
        (key, values) ->
            values.forEach(
                value ->
                    query
                        .append(query.length() == 0 ? "" : "&")
                        .append(encode(key))
                        .append('=')
                        .append(encode(value))));
    return rest.substring(0, question) + (query.length() == 0 ? "" : "?" + query) + fragment;
  }

  /**
   * Airbyte's URL cleaning: {@code _nc_rid} off {@code media_url}, {@code ccb} off {@code
   * profile_picture_url}.
   */
  public static void cleanUrls(ObjectNode record) {
    cleanUrl(record, "media_url", "_nc_rid");
    cleanUrl(record, "profile_picture_url", "ccb");
  }

  private static void cleanUrl(ObjectNode record, String field, String parameter) {
    JsonNode value = record.get(field);
    if (value != null && value.isTextual() && !value.asText().isEmpty()) {
      record.put(field, withoutQueryParameter(value.asText(), parameter));
    }
  }

  /**
   * Airbyte's insights flattening: {@code data[]} of metric objects becomes one key per metric
   * holding its first value. An empty {@code data} stays as it is; other top-level keys are kept. A
   * metric answered as a total ({@code total_value.value}, as Meta answers metrics that have
   * breakdowns) holds that total; one with no value at all holds null.
   */
  public static ObjectNode flattenInsights(ObjectNode body) {
    JsonNode data = body.get("data");
    if (data != null && data.isArray() && data.size() > 0) {
      body.remove("data");
      for (JsonNode metric : data) {
        JsonNode value = metric.path("values").path(0).path("value");
        if (value.isMissingNode()) {
          value = metric.path("total_value").path("value");
        }
        body.set(
            metric.path("name").asText(),
            value.isMissingNode() ? NullNode.getInstance() : value.deepCopy());
      }
    }
    return body;
  }

  /**
   * Python's {@code unquote_plus}: '+' is a space, valid escapes are UTF-8 bytes, a malformed '%'
   * stays as it is.
   */
  private static String decode(String text) {
    String plain = text.replace('+', ' ');
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      if (c >= 0x80) {
        out.append(bytes.toString(StandardCharsets.UTF_8)).append(c);
        bytes.reset();
      } else if (c == '%'
          && i + 2 < plain.length()
          && hex(plain.charAt(i + 1)) >= 0
          && hex(plain.charAt(i + 2)) >= 0) {
        bytes.write(hex(plain.charAt(i + 1)) * 16 + hex(plain.charAt(i + 2)));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
  }

  private static int hex(char c) {
    return c < 0x80 ? Character.digit(c, 16) : -1;
  }

  /** Python's {@code quote_plus}: safe characters are letters, digits and {@code _.-~}. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
  }
}
