package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthAndPermissionsTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static GraphApiEmulator start(GraphApiEmulator.Builder b) {
    return b.seed(1)
        .accounts(1)
        .mediaPerAccount(5)
        .now(NOW)
        .accessToken("secret-token")
        .build()
        .start();
  }

  @Test
  void missingOrWrongTokenIs190() {
    try (GraphApiEmulator emu = start(GraphApiEmulator.builder())) {
      for (GraphClient c :
          new GraphClient[] {
            new GraphClient(emu.baseUrl(), null), new GraphClient(emu.baseUrl(), "wrong")
          }) {
        GraphClient.Reply r = c.get("/v23.0/me/accounts");
        assertEquals(400, r.status());
        assertEquals(
            "Invalid OAuth access token - Cannot parse access token",
            r.error().get("message").asText());
        assertEquals("OAuthException", r.error().get("type").asText());
        assertEquals(190, r.error().get("code").asInt());
      }
      // token as access_token parameter works too, and is never recorded
      GraphClient anonymous = new GraphClient(emu.baseUrl(), null);
      assertEquals(
          200, anonymous.get("/v23.0/me/accounts?access_token=secret-token&limit=5").status());
      for (RecordedRequest r : emu.requests()) {
        assertFalse(r.params().containsKey("access_token"));
        assertFalse(r.params().containsValue("secret-token"));
      }
      assertFalse(anonymous.get("/__emulator/requests").body().contains("secret-token"));
    }
  }

  @Test
  void expiredTokenIs190Subcode463() {
    try (GraphApiEmulator emu = start(GraphApiEmulator.builder())) {
      GraphClient c = new GraphClient(emu);
      assertEquals(200, c.get("/v23.0/me/accounts").status());
      emu.expireToken();
      JsonNode e = c.get("/v23.0/me/accounts").error();
      assertEquals(190, e.get("code").asInt());
      assertEquals(463, e.get("error_subcode").asInt());
      assertTrue(
          e.get("message")
              .asText()
              .startsWith("Error validating access token: Session has expired on "),
          e.toString());
      assertTrue(e.get("message").asText().contains("PST. The current time is "), e.toString());
    }
    try (GraphApiEmulator emu =
        start(GraphApiEmulator.builder().tokenExpiresAt(NOW.plusSeconds(3600)))) {
      GraphClient c = new GraphClient(emu);
      assertEquals(200, c.get("/v23.0/me/accounts").status());
      emu.clock().advance(java.time.Duration.ofHours(2));
      assertEquals(463, c.get("/v23.0/me/accounts").error().get("error_subcode").asInt());
      GraphClient.Reply debug =
          c.withToken("secret-token").get("/v23.0/debug_token?input_token=secret-token");
      assertEquals(
          190, debug.error().get("code").asInt(), "debug_token itself needs a valid token");
    }
  }

  @Test
  void missingPermissionsAnswerMetaPermissionErrors() {
    try (GraphApiEmulator emu = start(GraphApiEmulator.builder())) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      MediaItem m = emu.dataset().media(u.id()).get(0);
      emu.revokePermission("instagram_manage_insights");
      for (String path :
          new String[] {
            "/v23.0/" + m.id() + "/insights?metric=reach",
            "/v23.0/" + u.id() + "/insights?metric=reach&period=day",
            "/v23.0/" + u.id() + "/media?fields=id,insights.metric(reach)"
          }) {
        GraphClient.Reply r = c.get(path);
        assertEquals(400, r.status(), path);
        assertEquals(10, r.error().get("code").asInt());
        assertEquals(
            "(#10) Application does not have permission for this action",
            r.error().get("message").asText());
      }
      assertEquals(200, c.get("/v23.0/" + u.id() + "/media?fields=id").status());
      JsonNode perms = c.get("/v23.0/me/permissions").json().get("data");
      assertEquals(AccessGrant.ALL_PERMISSIONS.size(), perms.size());
      assertEquals("instagram_manage_insights", perms.get(1).get("permission").asText());
      assertEquals("declined", perms.get(1).get("status").asText());
      assertEquals("granted", perms.get(0).get("status").asText());
      emu.revokePermission("instagram_basic");
      assertEquals(10, c.get("/v23.0/" + u.id() + "?fields=id").error().get("code").asInt());
      emu.revokePermission("pages_show_list");
      assertEquals(200, c.get("/v23.0/me/accounts").error().get("code").asInt());
    }
    try (GraphApiEmulator emu =
        start(
            GraphApiEmulator.builder().permissions(Set.of("instagram_basic", "pages_show_list")))) {
      GraphClient c = new GraphClient(emu);
      JsonNode token = c.get("/v23.0/debug_token?input_token=secret-token").json().get("data");
      assertEquals("[\"instagram_basic\",\"pages_show_list\"]", token.get("scopes").toString());
    }
  }

  @Test
  void debugTokenDescribesTheToken() {
    try (GraphApiEmulator emu = start(GraphApiEmulator.builder())) {
      GraphClient c = new GraphClient(emu);
      JsonNode d = c.get("/v23.0/debug_token?input_token=secret-token").json().get("data");
      assertEquals("USER", d.get("type").asText());
      assertEquals("instabeam-emulator", d.get("application").asText());
      assertTrue(d.get("is_valid").asBoolean());
      assertEquals(NOW.getEpochSecond() + 60 * 86400, d.get("expires_at").asLong());
      assertTrue(d.get("data_access_expires_at").asLong() > NOW.getEpochSecond());
      assertEquals(AccessGrant.ALL_PERMISSIONS.size(), d.get("scopes").size());
      assertTrue(d.has("app_id") && d.has("user_id"));
      assertFalse(
          c.get("/v23.0/debug_token?input_token=other")
              .json()
              .get("data")
              .get("is_valid")
              .asBoolean());
      assertEquals(100, c.get("/v23.0/debug_token").error().get("code").asInt());
      assertNull(c.get("/v23.0/debug_token?input_token=x").header("X-Business-Use-Case-Usage"));
    }
  }
}
