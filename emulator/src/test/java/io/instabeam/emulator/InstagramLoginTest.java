package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Instagram-Login host (graph.instagram.com) under {@code /instagram}: shapes, permissions,
 * errors, refresh.
 */
class InstagramLoginTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private GraphApiEmulator emu;

  private GraphApiEmulator start(GraphApiEmulator.Builder builder) {
    emu =
        builder
            .seed(7)
            .accounts(3)
            .mediaPerAccount(40)
            .storiesPerAccount(8)
            .now(NOW)
            .build()
            .start();
    return emu;
  }

  private GraphClient instagram() {
    return new GraphClient(emu.instagramBaseUrl(), emu.instagramAccessToken());
  }

  @AfterEach
  void stop() {
    emu.close();
  }

  @Test
  void meIsTheTokensOwnAccountWithoutAPage() {
    start(GraphApiEmulator.builder());
    IgUser first = emu.dataset().users().get(0);
    GraphClient.Reply me = instagram().get("/v25.0/me?fields=id,username,followers_count");
    assertEquals(200, me.status(), me.body());
    assertEquals(first.id(), me.json().get("id").asText());
    assertEquals(first.username(), me.json().get("username").asText());
    GraphClient.Reply accounts = instagram().get("/v25.0/me/accounts");
    assertEquals(400, accounts.status());
    assertEquals(100, accounts.error().get("code").asInt());
    GraphClient.Reply other =
        instagram().get("/v25.0/" + emu.dataset().users().get(1).id() + "?fields=id");
    assertEquals(400, other.status(), "an Instagram-Login token reaches its own account only");
    assertEquals(
        400,
        instagram()
            .get("/v25.0/" + emu.dataset().media(emu.dataset().users().get(1).id()).get(0).id())
            .status());
    assertEquals(400, instagram().get("/v25.0/debug_token?input_token=x").status());
  }

  @Test
  void eachHostAcceptsOnlyItsOwnLoginsToken() {
    start(GraphApiEmulator.builder());
    GraphClient.Reply facebookTokenOnInstagram =
        instagram().withToken(emu.accessToken()).get("/v25.0/me");
    assertEquals(190, facebookTokenOnInstagram.error().get("code").asInt());
    GraphClient.Reply instagramTokenOnFacebook =
        new GraphClient(emu.baseUrl(), emu.instagramAccessToken()).get("/v25.0/me/accounts");
    assertEquals(190, instagramTokenOnFacebook.error().get("code").asInt());
  }

  @Test
  void facebookLoginOnlyMetricsAndFieldsAreRefused() {
    start(GraphApiEmulator.builder());
    String account = emu.dataset().users().get(0).id();
    MediaItem feed =
        emu.dataset().media(account).stream()
            .filter(m -> m.mediaProductType().equals("FEED"))
            .filter(m -> !emu.dataset().postedBeforeConversion(m))
            .findFirst()
            .orElseThrow();
    GraphClient.Reply ok = instagram().get("/v25.0/" + feed.id() + "/insights?metric=reach,likes");
    assertEquals(200, ok.status(), ok.body());
    GraphClient.Reply totals =
        instagram().get("/v25.0/" + feed.id() + "/insights?metric=reach,total_likes");
    assertEquals(400, totals.status());
    assertTrue(
        totals.error().get("message").asText().startsWith("(#100) metric[1] must be one of"),
        totals.body());
    assertFalse(
        totals.error().get("message").asText().contains("total_likes"), "not among the valid ones");
    MediaItem story =
        emu.dataset().stories(account).stream()
            .filter(s -> !emu.dataset().storyBelowViewerThreshold(s))
            .findFirst()
            .orElseThrow();
    assertEquals(
        400,
        instagram().get("/v25.0/" + story.id() + "/insights?metric=reach,link_clicks").status());
    assertEquals(
        200,
        new GraphClient(emu)
            .get("/v25.0/" + story.id() + "/insights?metric=reach,link_clicks")
            .status(),
        "Facebook Login serves story link_clicks");
    GraphClient.Reply counts = instagram().get("/v25.0/me/media?fields=id,saved_count");
    assertEquals(400, counts.status());
    assertTrue(counts.error().get("message").asText().contains("(saved_count)"), counts.body());
    GraphClient.Reply discovery =
        instagram().get("/v25.0/me?fields=business_discovery.username(someone){id}");
    assertEquals(400, discovery.status());
    assertTrue(
        discovery.error().get("message").asText().contains("(business_discovery)"),
        discovery.body());
  }

  @Test
  void edgesPageOnTheInstagramHost() {
    start(GraphApiEmulator.builder());
    GraphClient.Reply page = instagram().get("/v25.0/me/media?fields=id&limit=10");
    assertEquals(200, page.status(), page.body());
    assertEquals(10, page.json().get("data").size());
    assertTrue(
        page.json().at("/paging/next").asText().startsWith(emu.instagramBaseUrl() + "/"),
        page.json().at("/paging/next").asText());
  }

  @Test
  void instagramPermissionsHaveTheirOwnNames() {
    start(GraphApiEmulator.builder().instagramPermissions(Set.of("instagram_business_basic")));
    assertEquals(200, instagram().get("/v25.0/me/media?fields=id").status());
    GraphClient.Reply insights = instagram().get("/v25.0/me/insights?metric=reach&period=day");
    assertEquals(400, insights.status());
    assertEquals(10, insights.error().get("code").asInt(), insights.body());
    emu.grantPermission("instagram_business_manage_insights");
    assertEquals(200, instagram().get("/v25.0/me/insights?metric=reach&period=day").status());
  }

  @Test
  void refreshReplacesTheTokenWithOneValidForSixtyDays() {
    start(GraphApiEmulator.builder());
    String old = emu.instagramAccessToken();
    GraphClient.Reply refreshed =
        instagram().get("/refresh_access_token?grant_type=ig_refresh_token");
    assertEquals(200, refreshed.status(), refreshed.body());
    String fresh = refreshed.json().get("access_token").asText();
    assertNotEquals(old, fresh);
    assertTrue(fresh.startsWith("IGAA"), fresh);
    assertEquals("bearer", refreshed.json().get("token_type").asText());
    assertEquals(Duration.ofDays(60).getSeconds(), refreshed.json().get("expires_in").asLong());
    assertEquals(fresh, emu.instagramAccessToken());
    assertEquals(NOW.plus(Duration.ofDays(60)), emu.instagramTokenExpiresAt());
    assertEquals(200, instagram().get("/v25.0/me").status(), "the new token works");
    assertEquals(190, instagram().withToken(old).get("/v25.0/me").error().get("code").asInt());
  }

  @Test
  void refreshNeedsATokenAtLeastADayOldAndTheRightGrantType() {
    start(GraphApiEmulator.builder().instagramTokenIssuedAt(NOW.minus(Duration.ofHours(2))));
    GraphClient.Reply tooYoung =
        instagram().get("/refresh_access_token?grant_type=ig_refresh_token");
    assertEquals(400, tooYoung.status());
    assertTrue(tooYoung.error().get("message").asText().contains("24 hours"), tooYoung.body());
    emu.clock().advance(Duration.ofHours(23));
    assertEquals(
        400, instagram().get("/refresh_access_token?grant_type=fb_exchange_token").status());
    assertEquals(
        200, instagram().get("/refresh_access_token?grant_type=ig_refresh_token").status());
  }

  @Test
  void portfolioAccountsAreHiddenFromMeAccountsWithoutBusinessManagement() {
    start(GraphApiEmulator.builder().portfolioAccounts(1));
    BusinessPortfolio portfolio = emu.dataset().portfolio().orElseThrow();
    String owned = portfolio.instagramAccountIds().get(0);
    assertEquals(emu.dataset().users().get(2).id(), owned, "the last account");
    GraphClient facebook = new GraphClient(emu);
    JsonNode pages =
        facebook.get("/v25.0/me/accounts?fields=id,instagram_business_account").json().get("data");
    assertEquals(4, pages.size(), "its page is still listed");
    assertFalse(pages.toString().contains(owned), pages.toString());
    GraphClient.Reply edge =
        facebook.get("/v25.0/" + portfolio.id() + "/owned_instagram_accounts?fields=id,username");
    assertEquals(400, edge.status());
    assertEquals(200, edge.error().get("code").asInt(), edge.body());
    assertEquals(
        200, facebook.get("/v25.0/" + owned + "?fields=id").status(), "reachable by its id");

    emu.grantPermission("business_management");
    assertTrue(
        facebook
            .get("/v25.0/me/accounts?fields=id,instagram_business_account")
            .body()
            .contains(owned));
    JsonNode listed =
        facebook
            .get("/v25.0/" + portfolio.id() + "/owned_instagram_accounts?fields=id,username")
            .json()
            .get("data");
    assertEquals(1, listed.size());
    assertEquals(owned, listed.get(0).get("id").asText());
  }

  @Test
  void unmanagedPortfolioPagesAreNotInMeAccountsAtAll() {
    start(
        GraphApiEmulator.builder()
            .portfolioAccounts(1)
            .portfolioPagesUnmanaged()
            .permissions(
                Set.of(
                    "instagram_basic",
                    "instagram_manage_insights",
                    "pages_show_list",
                    "pages_read_engagement",
                    "business_management")));
    BusinessPortfolio portfolio = emu.dataset().portfolio().orElseThrow();
    GraphClient facebook = new GraphClient(emu);
    JsonNode pages =
        facebook.get("/v25.0/me/accounts?fields=id,instagram_business_account").json().get("data");
    assertEquals(3, pages.size(), "2 accounts' pages and the page without Instagram");
    assertEquals(
        portfolio.instagramAccountIds().get(0),
        facebook
            .get("/v25.0/" + portfolio.id() + "/owned_instagram_accounts?fields=id")
            .json()
            .at("/data/0/id")
            .asText());
  }
}
