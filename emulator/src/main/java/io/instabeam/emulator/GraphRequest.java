package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Graph call: method, version, version-less path and parameters. The access token is held apart
 * from the parameters so that it is never recorded, logged or echoed in paging links.
 */
final class GraphRequest {
  private static final Pattern VERSION = Pattern.compile("^/?(v\\d+\\.\\d+)(?=/|$)");

  final String method;

  /** e.g. "v25.0"; null for unversioned requests. */
  final String version;

  /** Starts with '/', version stripped, no trailing slash (root is "/"). */
  final String path;

  final Map<String, String> params;
  final String token;
  final boolean batched;

  /** The {@code batch} parameter parsed, once read ({@link #batchParameter()}). */
  private JsonNode batch;

  GraphRequest(
      String method,
      String version,
      String path,
      Map<String, String> params,
      String token,
      boolean batched) {
    this.method = method;
    this.version = version;
    this.path = path;
    this.params = Collections.unmodifiableMap(params);
    this.token = token;
    this.batched = batched;
  }

  /**
   * Builds a request from a raw path (with or without version/leading slash) and a raw query
   * string.
   */
  static GraphRequest parse(
      String method,
      String rawPath,
      String rawQuery,
      Map<String, String> extraParams,
      String headerToken,
      boolean batched) {
    String path = rawPath.startsWith("/") ? rawPath : "/" + rawPath;
    String version = null;
    Matcher m = VERSION.matcher(path);
    if (m.find()) {
      version = m.group(1);
      path = path.substring(m.end());
    }
    path = URLDecoder.decode(path, StandardCharsets.UTF_8);
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      path = "/";
    }
    Map<String, String> params = parseQuery(rawQuery);
    params.putAll(extraParams);
    String token = params.remove("access_token");
    if (token == null) {
      token = headerToken;
    }
    return new GraphRequest(method, version, path, params, token, batched);
  }

  static Map<String, String> parseQuery(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  String param(String name) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * Version to use in links we generate: the request's own, else the version instabeam uses by
   * default.
   */
  String linkVersion() {
    return version == null ? "v25.0" : version;
  }

  /**
   * The {@code batch} parameter as JSON, parsed once: the fault plan and the batch endpoint both
   * read it.
   */
  JsonNode batchParameter() {
    if (batch == null) {
      try {
        batch = Json.MAPPER.readTree(params.get("batch"));
      } catch (Exception e) {
        throw GraphError.invalidParameter("The parameter batch must be a JSON array of requests");
      }
    }
    return batch;
  }

  /**
   * The sub-requests of a batch POST ({@code batch=[{"method":…,"relative_url":…},…]}), parsed as
   * the emulator serves them; empty when this is not a batch or its parameter is not a JSON array.
   */
  List<GraphRequest> batchItems() {
    List<GraphRequest> items = new ArrayList<>();
    if (!"/".equals(path) || !"POST".equals(method) || !params.containsKey("batch")) {
      return items;
    }
    JsonNode batch;
    try {
      batch = batchParameter();
    } catch (GraphError e) {
      return items;
    }
    if (batch != null && batch.isArray()) {
      batch.forEach(sub -> items.add(batchItem(sub, token)));
    }
    return items;
  }

  /** One sub-request of a batch, with the batch's token. */
  static GraphRequest batchItem(JsonNode sub, String token) {
    String method = sub.path("method").asText("GET").toUpperCase();
    String relative = sub.path("relative_url").asText("");
    int q = relative.indexOf('?');
    return parse(
        method,
        q < 0 ? relative : relative.substring(0, q),
        q < 0 ? null : relative.substring(q + 1),
        Map.of(),
        token,
        true);
  }

  /** The fault/trace key: method + path + sorted parameters (token excluded). */
  String key() {
    return method + " " + path + "?" + new TreeMap<>(params);
  }
}
