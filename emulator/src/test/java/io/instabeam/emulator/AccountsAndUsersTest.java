package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccountsAndUsersTest {
  static GraphApiEmulator emu;
  static GraphClient client;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder()
            .seed(7)
            .accounts(4)
            .pagesWithoutInstagram(3)
            .mediaPerAccount(40)
            .now(Instant.parse("2026-11-29T12:00:00Z"))
            .build()
            .start();
    client = new GraphClient(emu);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @Test
  void meAccountsListsEveryPageAndLinksOnlyInstagramOnes() {
    GraphClient.Reply r =
        client.get("/v23.0/me/accounts?fields=id,instagram_business_account&limit=100");
    assertEquals(200, r.status());
    JsonNode data = r.json().get("data");
    assertEquals(7, data.size());
    int linked = 0;
    for (JsonNode page : data) {
      assertTrue(page.get("id").asText().matches("\\d{15}"), page.toString());
      if (page.has("instagram_business_account")) {
        linked++;
        JsonNode iba = page.get("instagram_business_account");
        assertEquals(1, iba.size(), "only {id}");
        assertTrue(emu.dataset().user(iba.get("id").asText()).isPresent());
      }
    }
    assertEquals(4, linked);
    // single page: cursors.before only, no after, no next (fixture api.json)
    JsonNode paging = r.json().get("paging");
    assertTrue(paging.get("cursors").has("before"));
    assertFalse(paging.get("cursors").has("after"));
    assertFalse(paging.has("next"));
  }

  @Test
  void meAccountsPagesWithCursorsAndDefaultLimit() {
    List<String> ids = new ArrayList<>();
    String after = null;
    int requests = 0;
    do {
      GraphClient.Reply r =
          client.get(
              "/v23.0/me/accounts?fields=id,name&limit=3"
                  + (after == null ? "" : "&after=" + after));
      assertEquals(200, r.status());
      r.json().get("data").forEach(p -> ids.add(p.get("id").asText()));
      JsonNode cursors = r.json().get("paging").get("cursors");
      after = cursors.has("after") ? cursors.get("after").asText() : null;
      assertEquals(after != null, r.json().get("paging").has("next"));
      if (after != null) {
        assertTrue(
            r.json()
                .get("paging")
                .get("next")
                .asText()
                .startsWith(emu.baseUrl() + "/v23.0/me/accounts?"));
        // Meta's paging links carry the token (its recorded answers show access_token=…): so do the
        // emulator's.
        assertTrue(r.json().get("paging").get("next").asText().contains("access_token="));
      }
      requests++;
    } while (after != null);
    assertEquals(3, requests);
    assertEquals(emu.dataset().pages().stream().map(FacebookPage::id).toList(), ids);
    // default fields: id and name
    JsonNode first = client.get("/me/accounts").json().get("data").get(0);
    assertTrue(first.has("name") && first.has("id"));
    // before cursor goes back
    JsonNode second =
        client.get("/v23.0/me/accounts?limit=2&after=" + Pager.cursor(ids.get(1))).json();
    assertEquals(ids.get(2), second.get("data").get(0).get("id").asText());
    JsonNode back =
        client.get("/v23.0/me/accounts?limit=2&before=" + Pager.cursor(ids.get(2))).json();
    assertEquals(ids.get(0), back.get("data").get(0).get("id").asText());
    assertEquals(ids.get(1), back.get("data").get(1).get("id").asText());
  }

  @Test
  void userNodeHasProfileFieldsLikeTheRealApi() {
    IgUser u = emu.dataset().users().get(0);
    JsonNode user =
        client
            .get(
                "/v23.0/"
                    + u.id()
                    + "?fields=id,biography,ig_id,followers_count,follows_count,media_count,name,profile_picture_url,username,website")
            .json();
    assertEquals(u.id(), user.get("id").asText());
    assertTrue(user.get("ig_id").isIntegralNumber(), "ig_id is an integer on users");
    assertEquals(40, user.get("media_count").asInt());
    assertEquals(emu.dataset().media(u.id()).size(), user.get("media_count").asInt());
    assertTrue(user.get("profile_picture_url").asText().contains("ccb="));
    assertEquals(u.username(), user.get("username").asText());
    assertEquals(u.followersCount(), user.get("followers_count").asLong());
    assertTrue(user.get("website").asText().startsWith("https://"));
    assertEquals(10, user.size());
    // only requested fields (+ id)
    JsonNode small = client.get("/v23.0/" + u.id() + "?fields=username").json();
    assertEquals(2, small.size());
    assertEquals(u.id(), small.get("id").asText());
  }

  @Test
  void unknownIdIsError100Subcode33() {
    GraphClient.Reply r = client.get("/v23.0/999999?fields=id");
    assertEquals(400, r.status());
    JsonNode e = r.error();
    assertEquals(100, e.get("code").asInt());
    assertEquals(33, e.get("error_subcode").asInt());
    assertEquals(
        "Unsupported get request. Object with ID '999999' does not exist, cannot be loaded due to missing "
            + "permissions, or does not support this operation. Please read the Graph API documentation at "
            + "https://developers.facebook.com/docs/graph-api",
        e.get("message").asText());
    assertFalse(e.get("is_transient").asBoolean());
    assertNotNull(e.get("fbtrace_id").asText());
  }

  @Test
  void unknownFieldAndUnknownEdgeAreRejected() {
    IgUser u = emu.dataset().users().get(0);
    JsonNode e = client.get("/v23.0/" + u.id() + "?fields=id,nope").error();
    assertEquals(100, e.get("code").asInt());
    assertEquals(
        "(#100) Tried accessing nonexisting field (nope) on node type (IGUser)",
        e.get("message").asText());
    assertNull(e.get("error_subcode"));
    GraphClient.Reply r = client.get("/v23.0/" + u.id() + "/media/extra");
    assertEquals(2500, r.error().get("code").asInt());
  }

  @Test
  void unversionedAndOtherVersionsAreAccepted() {
    IgUser u = emu.dataset().users().get(1);
    assertEquals(200, client.get("/" + u.id() + "?fields=username").status());
    assertEquals(200, client.get("/v19.0/" + u.id() + "?fields=username").status());
    JsonNode viaPage =
        client.get("/v23.0/" + u.pageId() + "?fields=instagram_business_account").json();
    assertEquals(u.id(), viaPage.get("instagram_business_account").get("id").asText());
  }
}
