package io.instabeam.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.instabeam.emulator.Faults;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.MediaItem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's rate budget against the emulator's per-account budget over real HTTP, on a {@link
 * FakeTicker} that moves the emulator's clock too: Meta's one-hour window passes in no time, and
 * the waits are asserted exactly. The budget paces on the usage headers so that the emulator never
 * has to refuse a call.
 *
 * <p>The emulator's budget is 20 calls an hour, so one call reports 5%. The client learns one
 * call's share as an upper bound ({@code (u+1)/n}% after {@code n} calls reported {@code u}%),
 * which lets 17 calls of a window go under its 90% ceiling.
 */
class RateBudgetTest {
  static final int BUDGET = 20;
  static final int CALLS_UNDER_THE_CEILING = 17;
  static final Duration WINDOW = Duration.ofHours(1);
  static final String TOKEN = "token-budget";

  GraphApiEmulator emulator;
  FakeTicker ticker;
  String account;

  GraphApiEmulator start(Faults faults) {
    emulator =
        GraphApiEmulator.builder()
            .seed(5)
            .accessToken(TOKEN)
            .accounts(1)
            .mediaPerAccount(60)
            .callsPerWindow(BUDGET)
            .rateWindow(WINDOW)
            .faults(faults)
            .build()
            .start();
    ticker = new FakeTicker(emulator.clock().now(), emulator.clock()::advance);
    account = emulator.dataset().users().get(0).id();
    return emulator;
  }

  /** A client of a new run (a config of its own) at {@code ceilingPercent}, on the fake ticker. */
  GraphApiClient client(int ceilingPercent) {
    return new GraphApiClient(config(ceilingPercent), ticker);
  }

  GraphApiConfig config(int ceilingPercent) {
    return GraphApiConfig.of(emulator.baseUrl(), "v23.0", AccessToken.of(TOKEN))
        .withRetries(8, WINDOW.toMillis(), 20)
        .withRateBudget(ceilingPercent, WINDOW.toSeconds(), 4);
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  GraphResponse me(GraphApiClient client) {
    return client.tryGet(GraphRequest.get(account, account).with("fields", "id"));
  }

  /**
   * Makes {@code calls} calls one after another: how many went out at each moment, by the time
   * since the start.
   */
  Map<Duration, Integer> schedule(int calls, GraphApiClient... clients) {
    Map<Duration, Integer> sentAt = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      GraphResponse response = me(clients[i % clients.length]);
      assertTrue(response.isOk(), String.valueOf(response.error()));
      sentAt.merge(ticker.elapsed(), 1, Integer::sum);
    }
    return sentAt;
  }

  static Map<Duration, Integer> windows(int... calls) {
    Map<Duration, Integer> sentAt = new TreeMap<>();
    for (int i = 0; i < calls.length; i++) {
      sentAt.put(WINDOW.multipliedBy(i), calls[i]);
    }
    return sentAt;
  }

  @Test
  void callsBeyondTheBudgetArePacedWindowByWindowWithoutARefusal() {
    start(Faults.none());
    assertEquals(windows(17, 17, 17, 9), schedule(3 * BUDGET, client(90)));
    assertEquals(
        Map.of(),
        emulator.stats().rateLimitErrorsByAccount(),
        emulator.stats().toJson().toString());
  }

  @Test
  void aBatchBiggerThanTheRoomLeftGoesOutInPartsOneWindowApartWithoutARefusal() {
    start(Faults.none());
    GraphApiClient client = client(90);
    me(client); // learn the usage of one call
    List<GraphRequest> insights =
        emulator.dataset().media(account).stream()
            .limit(GraphApiClient.MAX_BATCH_SIZE)
            .map(MediaItem::id)
            .map(id -> GraphRequest.get(id, account).with("fields", "id,media_type"))
            .toList();
    List<GraphResponse> responses = client.batch(insights);
    assertTrue(responses.stream().allMatch(GraphResponse::isOk), responses.toString());
    assertEquals(
        Map.of(),
        emulator.stats().rateLimitErrorsByAccount(),
        emulator.stats().toJson().toString());
    // 51 calls at 17 a window: the last part goes out two windows after the first
    assertEquals(WINDOW.multipliedBy(2), ticker.elapsed());
    assertEquals(
        3 * CALLS_UNDER_THE_CEILING,
        emulator.stats().calls(),
        emulator.stats().toJson().toString());
  }

  @Test
  void aBudgetExhaustedByAnotherCallerIsWaitedOutForMetasEstimateThenTheCallSucceeds()
      throws Exception {
    start(Faults.none());
    GraphApiClient client = client(90);
    me(client);
    spendTheBudgetBehindTheClientsBack();
    GraphResponse response = me(client);
    assertTrue(response.isOk(), String.valueOf(response.error()));
    // Meta's estimate is an hour (the calls leave the window then), and no other wait came on top
    // of it
    assertEquals(WINDOW, ticker.elapsed());
    assertEquals(
        Map.of(account, 2L),
        emulator.stats().rateLimitErrorsByAccount(),
        "the other caller's refusal and " + "the client's one call that found the budget spent");
  }

  /** Calls the emulator directly until it refuses. */
  void spendTheBudgetBehindTheClientsBack() throws Exception {
    HttpClient other = HttpClient.newHttpClient();
    int status = 200;
    while (status == 200) {
      status =
          other
              .send(
                  HttpRequest.newBuilder(
                          URI.create(emulator.baseUrl() + "/v23.0/" + account + "?fields=id"))
                      .header("Authorization", "Bearer " + TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    }
  }

  @Test
  void aRetryAfterIsWaitedOutExactlyBeforeTheRetry() {
    start(Faults.builder().http5xxRate(1.0).maxConsecutiveFaults(1).retryAfterSeconds(30).build());
    GraphResponse response = me(client(90));
    assertTrue(response.isOk(), String.valueOf(response.error()));
    assertEquals(
        Duration.ofSeconds(30), ticker.elapsed(), "Retry-After: 30, longer than the backoff");
    assertEquals(2, emulator.stats().httpRequests(), emulator.stats().toJson().toString());
  }

  @Test
  void aRateLimitThatOutlastsTheRetryTimeFailsAtOnceWithoutWaiting() throws Exception {
    start(Faults.builder().regainAccessMinutes(90).build());
    GraphApiClient client =
        new GraphApiClient(
            config(90).withRetries(8, Duration.ofMinutes(30).toMillis(), 20), ticker);
    me(client);
    spendTheBudgetBehindTheClientsBack();
    GraphResponse refused = me(client);
    assertFalse(refused.isOk());
    assertTrue(
        refused.error().message().startsWith("Meta asks to wait 90 minutes (until "),
        refused.error().message());
    assertTrue(
        refused.error().message().contains("exceeds --maxRetrySeconds=1800"),
        refused.error().message());
    assertEquals(Duration.ZERO, ticker.elapsed());
  }

  @Test
  void clientsOfOneRunShareTheAccountsBudget() {
    start(Faults.none());
    GraphApiConfig run = config(90);
    // two DoFn instances of one run, calling in turn: 17 calls a window between them, as one client
    // would
    assertEquals(
        windows(17, 17, 6),
        schedule(40, new GraphApiClient(run, ticker), new GraphApiClient(run, ticker)));
    assertEquals(
        Map.of(),
        emulator.stats().rateLimitErrorsByAccount(),
        emulator.stats().toJson().toString());
  }

  @Test
  void aNewRunInTheSameJvmPacesByItsOwnLimitsNotTheFirstRunsOnes() {
    start(Faults.none());
    assertEquals(windows(17, 3), schedule(20, client(90)));
    ticker.advance(
        WINDOW); // the first run's calls leave the window: the emulator's budget is whole again
    // Under a 45% ceiling 8 calls fit in a window (a shared budget would have let 17 go at the
    // first run's 90%).
    Duration second = ticker.elapsed();
    Map<Duration, Integer> sentAt = new TreeMap<>();
    schedule(20, client(45)).forEach((at, calls) -> sentAt.put(at.minus(second), calls));
    assertEquals(windows(8, 8, 4), sentAt);
  }

  @Test
  void callsInFlightPerAccountNeverExceedTheConcurrencyBound() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    HttpServer slow =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    slow.setExecutor(Executors.newFixedThreadPool(16));
    slow.createContext(
        "/",
        exchange -> {
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
      GraphApiClient bounded =
          new GraphApiClient(
              GraphApiConfig.of(
                      "http://127.0.0.1:" + slow.getAddress().getPort(),
                      "v23.0",
                      AccessToken.of(TOKEN))
                  .withRateBudget(90, 1, 2));
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
    assertEquals(
        2, mostInFlight.get(), "eight threads, at most two calls in flight for one account");
  }
}
