package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code lastMediaPageWaitsForBatch}: the media edge's last page is answered after a batch request,
 * so a client's reading insights while it reads the edge shows in the order the requests were
 * recorded, whatever the machine's load.
 */
class LastMediaPageWaitsForBatchTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static GraphApiEmulator emulator(Duration timeout) {
    return GraphApiEmulator.builder()
        .seed(5)
        .accounts(1)
        .mediaPerAccount(30)
        .now(NOW)
        .lastMediaPageWaitsForBatch(timeout)
        .build()
        .start();
  }

  private static List<String> recordedKinds(GraphApiEmulator emu) {
    return emu.requests().stream().filter(r -> !r.batched()).map(RecordedRequest::kind).toList();
  }

  @Test
  void theLastPageIsAnsweredAfterABatchRequestAndEarlierPagesAtOnce() throws Exception {
    try (GraphApiEmulator emu = emulator(Duration.ofMinutes(10))) {
      GraphClient client = new GraphClient(emu);
      String media = "/v23.0/" + emu.dataset().users().get(0).id() + "/media";
      // not the last page: answered with no batch request at all (were it held, the get would time
      // out first)
      GraphClient.Reply first =
          CompletableFuture.supplyAsync(() -> client.get(media + "?limit=10"))
              .get(60, TimeUnit.SECONDS);
      assertEquals(10, first.json().get("data").size());
      CompletableFuture<GraphClient.Reply> last =
          CompletableFuture.supplyAsync(() -> client.get(media + "?limit=100"));
      String batch =
          "[{\"method\":\"GET\",\"relative_url\":\""
              + first.json().get("data").get(0).get("id").asText()
              + "/insights?metric=reach\"}]";
      assertEquals(200, client.postForm("/", "batch", batch).status());
      assertEquals(30, last.get().json().get("data").size());
      assertEquals(
          List.of(EndpointKind.USER_MEDIA, EndpointKind.BATCH, EndpointKind.USER_MEDIA),
          recordedKinds(emu));
    }
  }

  @Test
  void withNoBatchRequestTheLastPageIsAnsweredAfterTheTimeout() {
    try (GraphApiEmulator emu = emulator(Duration.ofMillis(200))) {
      GraphClient client = new GraphClient(emu);
      GraphClient.Reply last =
          client.get("/v23.0/" + emu.dataset().users().get(0).id() + "/media?limit=100");
      assertEquals(200, last.status(), last.body());
      assertEquals(30, last.json().get("data").size());
      assertEquals(List.of(EndpointKind.USER_MEDIA), recordedKinds(emu));
    }
  }
}
