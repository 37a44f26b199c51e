package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A Graph API over real HTTP on a loopback port that answers from recorded-style fixture files:
 * each route is a path and the query parameters a request must carry, so a request Airbyte would
 * not make (a wrong {@code fields} or {@code metric} list, a per-child call) finds no route and
 * fails the test. Batch requests ({@code POST /} with {@code batch=[…]}) are answered sub-request
 * by sub-request, as Meta does.
 */
final class FixtureGraphApi implements AutoCloseable {
  static final String API_VERSION = "v23.0";
  static final String TOKEN = "golden-test-token-EAAB0000";
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Route(String path, Map<String, String> params, int status, String resource) {}

  /** A request as the server saw it: path below the version, and decoded query parameters. */
  record Seen(String path, Map<String, String> params) {}

  private final List<Route> routes = Collections.synchronizedList(new ArrayList<>());
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server;

  FixtureGraphApi() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /**
   * Answers GET {@code path} carrying at least {@code params} with the fixture {@code resource}
   * (HTTP 200).
   */
  FixtureGraphApi route(String path, Map<String, String> params, String resource) {
    return route(path, params, 200, resource);
  }

  FixtureGraphApi route(String path, Map<String, String> params, int status, String resource) {
    routes.add(new Route(path, Map.copyOf(params), status, resource));
    return this;
  }

  GraphApiConfig config() {
    return GraphApiConfig.of(
            "http://127.0.0.1:" + server.getAddress().getPort(), API_VERSION, AccessToken.of(TOKEN))
        .withRetries(1, 5_000, 10);
  }

  List<Seen> requests() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Answer answer;
      if (!("Bearer " + TOKEN).equals(authorization)) {
        answer = error(401, 190, "Invalid OAuth access token.");
      } else if ("POST".equals(exchange.getRequestMethod())) {
        answer =
            batch(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      } else {
        answer =
            answer(exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery());
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private record Answer(int status, String body) {}

  private Answer batch(String form) throws IOException {
    String batch = parseQuery(form).get("batch");
    ArrayNode answers = JSON.createArrayNode();
    for (JsonNode part : JSON.readTree(batch)) {
      String relative = "/" + part.path("relative_url").asText();
      int question = relative.indexOf('?');
      Answer answer =
          answer(
              question < 0 ? relative : relative.substring(0, question),
              question < 0 ? null : relative.substring(question + 1));
      com.fasterxml.jackson.databind.node.ObjectNode reply = answers.addObject();
      reply.put("code", answer.status());
      reply.putArray("headers");
      reply.put("body", answer.body());
    }
    return new Answer(200, answers.toString());
  }

  private Answer answer(String rawPath, String rawQuery) {
    String prefix = "/" + API_VERSION + "/";
    if (!rawPath.startsWith(prefix)) {
      return error(400, 2500, "Unknown path components: " + rawPath);
    }
    String path = decode(rawPath.substring(prefix.length()));
    Map<String, String> params = parseQuery(rawQuery);
    seen.add(new Seen(path, params));
    Route best = null;
    synchronized (routes) {
      for (Route route : routes) {
        if (route.path().equals(path)
            && params.entrySet().containsAll(route.params().entrySet())
            && (best == null || route.params().size() > best.params().size())) {
          best = route;
        }
      }
    }
    if (best == null) {
      return error(400, 100, "no fixture for GET " + path + " " + params);
    }
    return new Answer(best.status(), resource(best.resource()));
  }

  static String resource(String name) {
    try (InputStream in = FixtureGraphApi.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer error(int status, int code, String message) {
    return new Answer(
        status,
        JSON.createObjectNode()
            .set(
                "error",
                JSON.createObjectNode()
                    .put("message", message)
                    .put("type", "OAuthException")
                    .put("code", code))
            .toString());
  }

  private static Map<String, String> parseQuery(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          decode(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
