package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FaultsTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static GraphApiEmulator start(Faults faults, long seed) {
    return GraphApiEmulator.builder()
        .seed(seed)
        .accounts(1)
        .mediaPerAccount(5)
        .now(NOW)
        .faults(faults)
        .build()
        .start();
  }

  /** A raw HTTP/1.1 GET that reports what really came over the socket. */
  static String rawGet(GraphApiEmulator emu, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", emu.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + emu.accessToken()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response;
      try {
        response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException reset) {
        return "DROPPED";
      }
      if (response.isEmpty()) {
        return "DROPPED";
      }
      String statusLine = response.substring(0, response.indexOf("\r\n"));
      boolean chunked = response.toLowerCase().contains("transfer-encoding: chunked");
      if (chunked && !response.endsWith("0\r\n\r\n")) {
        return "TRUNCATED " + statusLine;
      }
      return statusLine;
    }
  }

  @Test
  void dropConnectionClosesTheSocketWithoutAnswer() throws IOException {
    try (GraphApiEmulator emu = start(Faults.builder().dropConnectionRate(1.0).build(), 1)) {
      String path = "/v23.0/me/accounts";
      assertEquals("DROPPED", rawGet(emu, path));
      assertEquals("DROPPED", rawGet(emu, path));
      assertEquals("DROPPED", rawGet(emu, path));
      assertEquals(
          "HTTP/1.1 200 OK", rawGet(emu, path), "at most 3 consecutive faults per request key");
      assertEquals("DROPPED", rawGet(emu, path));
      assertEquals(4, emu.stats().faults().get("drop_connection"));
      assertThrows(
          java.io.UncheckedIOException.class,
          () -> new GraphClient(emu).get("/v23.0/me/permissions"));
    }
  }

  /**
   * Batches whose content changes (so each POST is a new request key) still fail a sub-request they
   * all carry at most 3 times in a row: a batch fault counts against its sub-requests' streaks.
   */
  @Test
  void aSubRequestCarriedByChangingBatchesSeesAtMostThreeFaultsInARow() {
    try (GraphApiEmulator emu =
        start(Faults.builder().http5xxRate(0.5).transientErrorRate(0.5).build(), 5)) {
      GraphClient client = new GraphClient(emu);
      String user = emu.dataset().users().get(0).id();
      int streak = 0;
      int longest = 0;
      int succeeded = 0;
      for (int i = 0; i < 40; i++) {
        String batch =
            "[{\"method\":\"GET\",\"relative_url\":\"v23.0/"
                + user
                + "?fields=username\"},{\"method\":\"GET\",\"relative_url\":\"v23.0/"
                + user
                + "?fields=id&n="
                + i
                + "\"}]";
        GraphClient.Reply r = client.postForm("/", "batch", batch);
        boolean ok =
            r.status() == 200
                && r.json().isArray()
                && r.json().get(0).isObject()
                && r.json().get(0).path("code").asInt() == 200;
        streak = ok ? 0 : streak + 1;
        longest = Math.max(longest, streak);
        succeeded += ok ? 1 : 0;
      }
      assertTrue(longest <= 3, "longest run of faults: " + longest);
      assertTrue(succeeded >= 10, "succeeded " + succeeded + " of 40");
    }
  }

  @Test
  void truncatedBodyIsCutInTheMiddle() throws IOException {
    try (GraphApiEmulator emu = start(Faults.builder().truncatedBodyRate(1.0).build(), 1)) {
      assertEquals("TRUNCATED HTTP/1.1 200 OK", rawGet(emu, "/v23.0/me/accounts"));
      assertThrows(
          java.io.UncheckedIOException.class,
          () -> new GraphClient(emu).get("/v23.0/me/permissions"));
      assertEquals(2, emu.stats().faults().get("truncated_body"));
    }
  }

  @Test
  void http5xxAndTransientErrorsHaveMetaBodies() {
    try (GraphApiEmulator emu =
        start(Faults.builder().http5xxRate(0.5).transientErrorRate(0.5).build(), 9)) {
      GraphClient c = new GraphClient(emu);
      int s500 = 0;
      int s503 = 0;
      int t500 = 0;
      int t400 = 0;
      for (int i = 0; i < 200; i++) {
        GraphClient.Reply r = c.get("/v23.0/me/accounts?n=" + i);
        if (r.status() == 503) {
          s503++;
          assertEquals("Service Unavailable", r.body());
          continue;
        }
        assertTrue(r.error().get("is_transient").asBoolean(), r.body());
        int code = r.error().get("code").asInt();
        if (r.status() == 400) {
          t400++;
          assertEquals(2, code);
        } else if (code == 1) {
          t500++;
          assertEquals("An unknown error occurred", r.error().get("message").asText());
        } else {
          s500++;
          assertEquals(2, code);
        }
      }
      assertTrue(
          s500 > 25 && s503 > 25 && t500 > 25 && t400 > 25,
          s500 + " " + s503 + " " + t500 + " " + t400);
      assertEquals(
          200, emu.stats().errorsByHttpStatus().values().stream().mapToLong(Long::longValue).sum());
    }
  }

  @Test
  void ratesAreRoughlyAsConfiguredAndReproducibleWhateverTheInterleaving() throws Exception {
    Faults faults = Faults.builder().http5xxRate(0.1).transientErrorRate(0.1).build();
    Map<Integer, Integer> sequential = new ConcurrentHashMap<>();
    try (GraphApiEmulator emu = start(faults, 77)) {
      GraphClient c = new GraphClient(emu);
      for (int i = 0; i < 300; i++) {
        sequential.put(i, c.get("/v23.0/me/accounts?n=" + i).status());
      }
    }
    long failed = sequential.values().stream().filter(s -> s != 200).count();
    assertTrue(failed > 35 && failed < 90, "about 20% of 300: " + failed);
    Map<Integer, Integer> parallel = new ConcurrentHashMap<>();
    try (GraphApiEmulator emu = start(faults, 77)) {
      GraphClient c = new GraphClient(emu);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Integer> order = new ArrayList<>();
      for (int i = 299; i >= 0; i--) {
        order.add(i);
      }
      for (int i : order) {
        pool.submit(() -> parallel.put(i, c.get("/v23.0/me/accounts?n=" + i).status()));
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }
    assertEquals(sequential, parallel);
    Map<Integer, Integer> otherSeed = new ConcurrentHashMap<>();
    try (GraphApiEmulator emu = start(faults, 78)) {
      GraphClient c = new GraphClient(emu);
      for (int i = 0; i < 300; i++) {
        otherSeed.put(i, c.get("/v23.0/me/accounts?n=" + i).status());
      }
    }
    assertTrue(!sequential.equals(otherSeed), "another seed gives other faults");
  }

  @Test
  void retriedRequestEventuallySucceeds() {
    try (GraphApiEmulator emu =
        start(
            Faults.builder()
                .http5xxRate(0.6)
                .transientErrorRate(0.4)
                .maxConsecutiveFaults(3)
                .build(),
            4)) {
      GraphClient c = new GraphClient(emu);
      for (int key = 0; key < 20; key++) {
        int attempts = 0;
        int status;
        do {
          status = c.get("/v23.0/me/accounts?k=" + key).status();
          attempts++;
        } while (status != 200);
        assertEquals(4, attempts, "rate 1.0: exactly three faults then success");
      }
    }
  }

  @Test
  void faultsValidateTheirSettings() {
    assertThrows(IllegalArgumentException.class, () -> Faults.builder().http5xxRate(1.5).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> Faults.builder().http5xxRate(0.7).dropConnectionRate(0.7).build());
    assertThrows(
        IllegalArgumentException.class, () -> Faults.builder().appRateLimitCode(5).build());
    Faults f = Faults.none().withHttp5xxRate(0.2).withAppRateLimit(17, 100);
    assertEquals(0.2, f.http5xxRate());
    assertEquals(17, f.appRateLimitCode());
    assertEquals(0.0, Faults.none().http5xxRate());
  }
}
