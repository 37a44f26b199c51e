package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side: JDK {@link HttpServer} on loopback, a worker pool so requests are served
 * concurrently, latency, fault injection, usage headers, recording, and the {@code /__emulator/*}
 * admin endpoints.
 */
final class HttpFrontend implements AutoCloseable {
  private static final String JSON = "application/json; charset=UTF-8";

  /** HTTP-level faults served with the real answer: slowed down, or cut in the middle. */
  private static final Set<FaultPlan.Fault> SLOW_OR_CUT =
      Set.of(
          FaultPlan.Fault.TRUNCATED_BODY,
          FaultPlan.Fault.SLOW_HEADERS,
          FaultPlan.Fault.TRICKLED_BODY);

  /**
   * The throttling codes the emulator serves: app-level ones and the account's Business Use Case
   * limit.
   */
  private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613, 80002);

  static {
    // The JDK server leaves Nagle on by default; with keep-alive clients every answer then waits
    // ~40 ms for a
    // delayed ACK. Read once by the JDK when its first server starts, so set it before that.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * Thrown out of the handler to make the JDK server close the socket without finishing the
   * response.
   */
  private static final class AbortConnection extends RuntimeException {
    AbortConnection() {
      super(null, null, false, false);
    }
  }

  private final GraphApiEmulator emulator;
  private final GraphApi api;
  private final GraphApi instagramApi;
  private final StatsRecorder stats;
  private final FaultPlan faultPlan;
  private final RateLimits limits;
  private final EmulatorClock clock;
  private final Duration latency;

  /**
   * How long the last page of a media edge waits for an answered batch request; null: it does not
   * wait.
   */
  private final Duration lastMediaPageHold;

  /** The media ids each account's media edge has served, to tell its last page. */
  private final Map<String, Set<String>> mediaServed = new HashMap<>();

  private HttpServer server;
  private ExecutorService workers;

  HttpFrontend(
      GraphApiEmulator emulator,
      GraphApi api,
      GraphApi instagramApi,
      StatsRecorder stats,
      FaultPlan faultPlan,
      RateLimits limits,
      EmulatorClock clock,
      Duration latency,
      Duration lastMediaPageHold) {
    this.emulator = emulator;
    this.api = api;
    this.instagramApi = instagramApi;
    this.stats = stats;
    this.faultPlan = faultPlan;
    this.limits = limits;
    this.clock = clock;
    this.latency = latency;
    this.lastMediaPageHold = lastMediaPageHold;
  }

  int start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    AtomicInteger n = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "graph-emulator-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      workers.shutdownNow();
      try {
        workers.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    boolean abort = false;
    try {
      String rawPath = ex.getRequestURI().getRawPath();
      if (rawPath.startsWith("/__emulator")) {
        admin(ex, rawPath.substring("/__emulator".length()));
      } else {
        long started = stats.serving();
        try {
          graph(ex, rawPath);
        } finally {
          stats.served(started);
        }
      }
    } catch (AbortConnection e) {
      abort = true; // closing the exchange would finish the chunked body; let the server drop the
      // socket
      throw e;
    } finally {
      if (!abort) {
        ex.close();
      }
    }
  }

  private void graph(HttpExchange ex, String hostPath) throws IOException {
    LoginHost host = LoginHost.of(hostPath);
    GraphApi api = host == LoginHost.INSTAGRAM_LOGIN ? instagramApi : this.api;
    String rawPath = host.pathOf(hostPath);
    String method = ex.getRequestMethod().toUpperCase();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> bodyParams =
        bodyParams(body, ex.getRequestHeaders().getFirst("Content-Type"));
    GraphRequest req =
        GraphRequest.parse(
            method,
            rawPath,
            ex.getRequestURI().getRawQuery(),
            bodyParams,
            headerToken(ex.getRequestHeaders().getFirst("Authorization")),
            false);
    String kind = api.kindOf(req);
    stats.serving(kind);
    try {
      answer(ex, api, req);
    } finally {
      stats.served(kind);
    }
  }

  private void answer(HttpExchange ex, GraphApi api, GraphRequest req) throws IOException {
    if (!latency.isZero()) {
      pause(latency.toMillis());
    }
    FaultPlan.Fault fault = faultPlan.next(req);
    if (fault != FaultPlan.Fault.NONE && !SLOW_OR_CUT.contains(fault)) {
      injectFault(ex, api, req, fault);
      return;
    }
    Answer answer = api.serve(req);
    if (lastMediaPageHold != null && completesTheMediaEdge(answer)) {
      // a client that reads insights while it reads the media edge has had a batch answered by now
      stats.awaitRecorded(EndpointKind.BATCH, lastMediaPageHold.toMillis());
    }
    stats.httpRequest(answer.kind());
    stats.record(
        new RecordedRequest(
            req.method,
            req.path,
            req.params,
            answer.kind(),
            answer.accountId(),
            answer.status(),
            answer.errorCode(),
            false));
    answer.subRequests().forEach(stats::record);
    if (answer.status() >= 400) {
      stats.error(answer.status(), answer.errorCode());
    }
    usageHeaders(ex, answer.accounts());
    ex.getResponseHeaders()
        .set("facebook-api-version", ApiVersions.served(req.version, clock.now()));
    if (answer.errorCode() != null
        && RATE_LIMIT_CODES.contains(answer.errorCode())
        && faultPlan.faults().retryAfterSeconds() > 0) {
      ex.getResponseHeaders()
          .set("Retry-After", Integer.toString(faultPlan.faults().retryAfterSeconds()));
    }
    byte[] bytes = Json.bytes(answer.body());
    ex.getResponseHeaders().set("Content-Type", JSON);
    if (fault == FaultPlan.Fault.TRUNCATED_BODY) {
      stats.fault("truncated_body");
      ex.sendResponseHeaders(answer.status(), 0); // chunked: no Content-Length to betray the cut
      OutputStream out = ex.getResponseBody();
      out.write(bytes, 0, Math.max(1, bytes.length / 2));
      out.flush();
      throw new AbortConnection();
    }
    if (fault == FaultPlan.Fault.SLOW_HEADERS) {
      stats.fault("slow_headers");
      pause(faultPlan.faults().slowHeadersDelay().toMillis());
    }
    if (fault == FaultPlan.Fault.TRICKLED_BODY) {
      stats.fault("trickled_body");
      trickle(ex, answer.status(), bytes, faultPlan.faults().trickleByteDelay().toMillis());
      return;
    }
    send(ex, answer.status(), bytes);
  }

  /**
   * Whether {@code answer} carries the last of its account's media not yet served by the media
   * edge: a job reads the edge in pages and time slices, so the last page of one request is not the
   * end of the edge.
   */
  private synchronized boolean completesTheMediaEdge(Answer answer) {
    if (!EndpointKind.USER_MEDIA.equals(answer.kind())
        || answer.status() != 200
        || answer.accountId() == null) {
      return false;
    }
    Set<String> served =
        mediaServed.computeIfAbsent(answer.accountId(), account -> new HashSet<>());
    int all = emulator.dataset().media(answer.accountId()).size();
    boolean before = served.size() >= all;
    answer.body().path("data").forEach(media -> served.add(media.path("id").asText()));
    return !before && served.size() >= all;
  }

  /**
   * Sends the headers at once, then the body a byte at a time: every read of the client gets data,
   * so only a deadline on the whole answer (not a read timeout) stops waiting. A client that gives
   * up ends the trickle.
   */
  private static void trickle(HttpExchange ex, int status, byte[] bytes, long byteDelayMillis)
      throws IOException {
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      for (byte b : bytes) {
        out.write(b);
        out.flush();
        pause(byteDelayMillis);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void injectFault(HttpExchange ex, GraphApi api, GraphRequest req, FaultPlan.Fault fault)
      throws IOException {
    String kind = api.kindOf(req);
    String name = fault.name().toLowerCase();
    stats.httpRequest(kind);
    stats.fault(name);
    if (fault == FaultPlan.Fault.DROP_CONNECTION) {
      stats.record(
          new RecordedRequest(
              req.method, req.path, req.params, kind, api.accountOf(req), 0, null, false));
      throw new AbortConnection();
    }
    GraphError error =
        GraphError.injected(fault); // null for HTTP_503, which the front proxy serves
    Integer code = error == null ? null : error.code;
    int status = error == null ? 503 : error.httpStatus;
    stats.record(
        new RecordedRequest(
            req.method, req.path, req.params, kind, api.accountOf(req), status, code, false));
    stats.error(status, code);
    usageHeaders(ex, Set.of());
    ex.getResponseHeaders()
        .set("facebook-api-version", ApiVersions.served(req.version, clock.now()));
    if (faultPlan.faults().retryAfterSeconds() > 0) {
      ex.getResponseHeaders()
          .set("Retry-After", Integer.toString(faultPlan.faults().retryAfterSeconds()));
    }
    if (error == null) {
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
      send(ex, 503, "Service Unavailable".getBytes(StandardCharsets.UTF_8));
    } else {
      ex.getResponseHeaders().set("Content-Type", JSON);
      send(ex, status, Json.bytes(GraphApi.errorBody(error, api.trace(req, error.code))));
    }
  }

  private void usageHeaders(HttpExchange ex, Set<String> accounts) {
    Instant now = clock.now();
    ex.getResponseHeaders()
        .set("X-App-Usage", Json.string(Json.usage(limits.app().usage(now), false)));
    if (!accounts.isEmpty()) {
      ObjectNode buc = Json.MAPPER.createObjectNode();
      int regainOverride = faultPlan.faults().regainAccessMinutes();
      for (String account : accounts) {
        ObjectNode entry = buc.putArray(account).addObject();
        entry.put("type", "instagram");
        Usage usage = limits.account(account).usage(now);
        if (regainOverride > 0 && usage.estimatedTimeToRegainAccess() > 0) {
          usage =
              new Usage(usage.callCount(), usage.totalCputime(), usage.totalTime(), regainOverride);
        }
        entry.setAll(Json.usage(usage, true));
      }
      ex.getResponseHeaders().set("X-Business-Use-Case-Usage", Json.string(buc));
    }
  }

  private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static String headerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    for (String scheme : List.of("Bearer ", "OAuth ")) {
      if (value.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return value.substring(scheme.length()).trim();
      }
    }
    return null;
  }

  /** Form bodies (what Graph clients send for batch) and JSON object bodies are both accepted. */
  private static Map<String, String> bodyParams(String body, String contentType) {
    if (body.isBlank()) {
      return Map.of();
    }
    if (body.trim().startsWith("{") || (contentType != null && contentType.contains("json"))) {
      try {
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode node = Json.MAPPER.readTree(body);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          params.put(
              e.getKey(),
              e.getValue().isTextual() ? e.getValue().asText() : Json.string(e.getValue()));
        }
        return params;
      } catch (IOException e) {
        return Map.of();
      }
    }
    return GraphRequest.parseQuery(body.trim());
  }

  // ---------------------------------------------------------------- admin

  private void admin(HttpExchange ex, String path) throws IOException {
    Map<String, String> params = GraphRequest.parseQuery(ex.getRequestURI().getRawQuery());
    String method = ex.getRequestMethod().toUpperCase();
    ex.getResponseHeaders().set("Content-Type", JSON);
    try {
      switch (path) {
        case "/stats":
          send(ex, 200, Json.bytes(emulator.stats().toJson()));
          return;
        case "/requests":
          send(ex, 200, Json.bytes(requestsJson(emulator.requests())));
          return;
        case "/clock":
          if ("POST".equals(method)) {
            if (params.containsKey("set")) {
              clock.set(GraphTime.parse("set", params.get("set")));
            } else if (params.containsKey("advance")) {
              clock.advance(Duration.parse(params.get("advance")));
            } else {
              throw new IllegalArgumentException(
                  "use ?set=<ISO instant> or ?advance=<ISO duration such as P1D>");
            }
          }
          ObjectNode now = Json.MAPPER.createObjectNode();
          now.put("now", clock.now().toString());
          send(ex, 200, Json.bytes(now));
          return;
        case "/reset":
          if (!"POST".equals(method)) {
            throw new IllegalArgumentException("POST /__emulator/reset");
          }
          emulator.reset();
          ObjectNode ok = Json.MAPPER.createObjectNode();
          ok.put("reset", true);
          send(ex, 200, Json.bytes(ok));
          return;
        default:
          throw new IllegalArgumentException("unknown admin endpoint: /__emulator" + path);
      }
    } catch (IllegalArgumentException | DateTimeParseException | GraphError e) {
      ObjectNode err = Json.MAPPER.createObjectNode();
      err.put("error", e.getMessage());
      send(ex, 400, Json.bytes(err));
    }
  }

  private static ArrayNode requestsJson(List<RecordedRequest> requests) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (RecordedRequest r : requests) {
      ObjectNode node = array.addObject();
      node.put("method", r.method());
      node.put("path", r.path());
      node.set("params", Json.MAPPER.valueToTree(r.params()));
      node.put("kind", r.kind());
      node.put("account_id", r.accountId());
      node.put("status", r.status());
      if (r.errorCode() == null) {
        node.putNull("error_code");
      } else {
        node.put("error_code", r.errorCode());
      }
      node.put("batched", r.batched());
    }
    return array;
  }
}
