package io.instabeam.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.MediaItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's rate budget against the emulator's per-account budget over real HTTP, on the wall clock with a
 * one-second window: it paces on the usage headers so that the emulator never has to refuse a call.
 */
class RateBudgetTest {
  static final int BUDGET = 20;
  static final String TOKEN = "token-budget";

  GraphApiEmulator emulator;
  GraphApiClient client;
  String account;

  @BeforeEach
  void start() {
    emulator = GraphApiEmulator.builder().seed(5).accessToken(TOKEN).accounts(1).mediaPerAccount(60)
        .callsPerWindow(BUDGET).rateWindow(Duration.ofSeconds(1)).systemClock().build().start();
    emulator.clock().set(GraphApiEmulator.DEFAULT_NOW);
    account = emulator.dataset().users().get(0).id();
    client = new GraphApiClient(GraphApiConfig.of(emulator.baseUrl(), "v23.0", AccessToken.of(TOKEN))
        .withRetries(8, 60_000, 20).withRateBudget(90, 1, 4));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void callsBeyondTheBudgetArePacedAcrossWindowsWithoutARefusal() {
    long started = System.nanoTime();
    for (int i = 0; i < 3 * BUDGET; i++) {
      client.get(GraphRequest.get(account, account).with("fields", "id"));
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Map.of(), emulator.stats().rateLimitErrorsByAccount(), emulator.stats().toJson().toString());
    assertTrue(elapsedMillis >= 2_000, "60 calls at 18 a window need three windows, took " + elapsedMillis + " ms");
  }

  @Test
  void aBatchBiggerThanTheRoomLeftGoesOutInPartsWithoutARefusal() {
    client.get(GraphRequest.get(account, account).with("fields", "id")); // learn the usage of one call
    List<GraphRequest> insights = emulator.dataset().media(account).stream().limit(GraphApiClient.MAX_BATCH_SIZE)
        .map(MediaItem::id).map(id -> GraphRequest.get(id, account).with("fields", "id,media_type")).toList();
    List<GraphResponse> responses = client.batch(insights);
    assertTrue(responses.stream().allMatch(GraphResponse::isOk), responses.toString());
    assertEquals(Map.of(), emulator.stats().rateLimitErrorsByAccount(), emulator.stats().toJson().toString());
  }

  @Test
  void aBudgetExhaustedByAnotherCallerIsWaitedOutThenTheCallSucceeds() throws Exception {
    client.get(GraphRequest.get(account, account).with("fields", "id"));
    HttpClient other = HttpClient.newHttpClient();
    int status = 200;
    while (status == 200) { // spend the whole budget behind the client's back, until the emulator refuses
      status = other.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v23.0/" + account + "?fields=id"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
    GraphResponse response = client.tryGet(GraphRequest.get(account, account).with("fields", "id"));
    assertTrue(response.isOk(), String.valueOf(response.error()));
  }

  @Test
  void callsInFlightPerAccountNeverExceedTheConcurrencyBound() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    slow.setExecutor(Executors.newFixedThreadPool(16));
    slow.createContext("/", exchange -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      byte[] body = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    slow.start();
    ExecutorService workers = Executors.newFixedThreadPool(8);
    try {
      GraphApiClient bounded = new GraphApiClient(GraphApiConfig.of("http://127.0.0.1:" + slow.getAddress().getPort(),
          "v23.0", AccessToken.of(TOKEN)).withRateBudget(90, 1, 2));
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(workers.submit(() -> bounded.get(GraphRequest.get("17841", "17841"))));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      workers.shutdownNow();
      slow.stop(0);
    }
    assertEquals(2, mostInFlight.get(), "eight threads, at most two calls in flight for one account");
  }
}
