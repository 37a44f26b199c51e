package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static JsonNode json(String s) throws Exception {
    return GraphClient.MAPPER.readTree(s);
  }

  @Test
  void usageHeadersOnEveryResponse() throws Exception {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(2)
            .accounts(2)
            .mediaPerAccount(5)
            .now(NOW)
            .callsPerWindow(10)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      GraphClient.Reply r = c.get("/v23.0/" + u.id() + "?fields=username");
      JsonNode app = json(r.header("X-App-Usage"));
      assertTrue(app.has("call_count") && app.has("total_cputime") && app.has("total_time"));
      JsonNode buc = json(r.header("X-Business-Use-Case-Usage"));
      JsonNode entry = buc.get(u.id()).get(0);
      assertEquals("instagram", entry.get("type").asText());
      assertEquals(10, entry.get("call_count").asInt(), "1 call of 10 = 10%");
      assertEquals(0, entry.get("estimated_time_to_regain_access").asInt());
      assertNull(
          c.get("/v23.0/me/accounts").header("X-Business-Use-Case-Usage"), "no IG account touched");
      assertNotNull(c.get("/v23.0/me/accounts").header("X-App-Usage"));
      // an error answer also carries the headers
      GraphClient.Reply err = c.get("/v23.0/" + u.id() + "/insights?metric=nope&period=day");
      assertEquals(
          20,
          json(err.header("X-Business-Use-Case-Usage"))
              .get(u.id())
              .get(0)
              .get("call_count")
              .asInt());
    }
  }

  @Test
  void accountBudgetBlocksWith80002UntilTheWindowRolls() throws Exception {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(2)
            .accounts(2)
            .mediaPerAccount(5)
            .now(NOW)
            .callsPerWindow(5)
            .rateWindow(Duration.ofHours(1))
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      IgUser other = emu.dataset().users().get(1);
      String path = "/v23.0/" + u.id() + "?fields=username";
      for (int i = 0; i < 5; i++) {
        assertEquals(200, c.get(path).status());
        emu.clock().advance(Duration.ofMinutes(1));
      }
      GraphClient.Reply blocked = c.get(path);
      assertEquals(400, blocked.status());
      JsonNode e = blocked.error();
      assertEquals(
          "There have been too many calls to this Instagram account. Wait a bit and try again.",
          e.get("message").asText());
      assertEquals("OAuthException", e.get("type").asText());
      assertEquals(80002, e.get("code").asInt());
      assertTrue(e.get("is_transient").asBoolean());
      JsonNode usage = json(blocked.header("X-Business-Use-Case-Usage")).get(u.id()).get(0);
      assertEquals(120, usage.get("call_count").asInt());
      // oldest call at 12:00 leaves the window at 13:00; now is 12:05 → 55 min, but 2 calls over →
      // 12:01+1h → 56
      assertEquals(56, usage.get("estimated_time_to_regain_access").asInt());
      // the other account has its own budget
      assertEquals(200, c.get("/v23.0/" + other.id() + "?fields=username").status());
      // calls while blocked still count: another blocked call pushes regain further out
      emu.clock().advance(Duration.ofMinutes(55));
      GraphClient.Reply still = c.get(path);
      assertEquals(80002, still.error().get("code").asInt());
      emu.clock().advance(Duration.ofMinutes(10));
      // window rolled past the first 5 calls (12:00-12:04) but the two blocked calls (12:05, 13:00)
      // count
      assertEquals(200, c.get(path).status());
      assertEquals(2, emu.stats().rateLimitErrorsByAccount().get(u.id()));
      assertEquals(2, emu.stats().errorsByCode().get("80002"));
      // window (12:10, 13:10] holds the blocked 13:00 call and this one: 2 of 5
      assertEquals(40, emu.stats().usageByAccount().get(u.id()).callCount());
    }
  }

  @Test
  void appBudgetServesTheConfiguredCode() {
    for (int code : new int[] {4, 17, 32, 613}) {
      try (GraphApiEmulator emu =
          GraphApiEmulator.builder()
              .seed(2)
              .accounts(1)
              .mediaPerAccount(5)
              .now(NOW)
              .faults(Faults.builder().appRateLimitCode(code).appCallsPerWindow(3).build())
              .build()
              .start()) {
        GraphClient c = new GraphClient(emu);
        for (int i = 0; i < 3; i++) {
          assertEquals(200, c.get("/v23.0/me/accounts").status());
        }
        JsonNode e = c.get("/v23.0/me/accounts").error();
        assertEquals(code, e.get("code").asInt());
        assertTrue(e.get("message").asText().startsWith("(#" + code + ")"));
        assertTrue(e.get("is_transient").asBoolean());
        assertEquals(1, emu.stats().appRateLimitErrors());
        emu.clock().advance(Duration.ofMinutes(61));
        assertEquals(200, c.get("/v23.0/me/accounts").status());
      }
    }
  }

  @Test
  void batchSubRequestsAndIdsCountIndividually() throws Exception {
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(2)
            .accounts(1)
            .mediaPerAccount(20)
            .now(NOW)
            .callsPerWindow(8)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      StringBuilder ids = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        ids.append(i == 0 ? "" : ",").append(emu.dataset().media(u.id()).get(i).id());
      }
      GraphClient.Reply r = c.get("/v23.0/?ids=" + ids + "&fields=id,media_type");
      assertEquals(200, r.status());
      assertEquals(3, r.json().size());
      assertEquals(
          37,
          json(r.header("X-Business-Use-Case-Usage")).get(u.id()).get(0).get("call_count").asInt());
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < 6; i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"method\":\"GET\",\"relative_url\":\"v23.0/")
            .append(emu.dataset().media(u.id()).get(i).id())
            .append("/insights?metric=reach\"}");
      }
      JsonNode answers = c.postForm("/v23.0/", "batch", batch.append("]").toString()).json();
      assertEquals(6, answers.size());
      int ok = 0;
      int limited = 0;
      for (JsonNode a : answers) {
        if (a.get("code").asInt() == 200) {
          ok++;
        } else {
          limited++;
          assertEquals(80002, json(a.get("body").asText()).get("error").get("code").asInt());
        }
      }
      assertEquals(5, ok, "3 ids + 5 sub-requests fill the budget of 8");
      assertEquals(1, limited);
      EmulatorStats s = emu.stats();
      assertEquals(2, s.httpRequests());
      assertEquals(9, s.calls());
      assertEquals(3, s.calls("ids"));
      assertEquals(6, s.calls("media/insights"));
      assertEquals(1, s.requests("batch"));
      assertEquals(9, s.callsByAccount().get(u.id()));
    }
  }
}
