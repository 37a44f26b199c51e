package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.BusinessPortfolio;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both logins and every account, through {@link Main} against the emulator over HTTP: a run with an
 * Instagram-Login token ({@code IGAA…}, the emulator's Instagram host), accounts a Business
 * portfolio owns (by {@code --businessId} and by {@code --accounts}), the warning about pages
 * without an Instagram account, and {@code refresh-token}.
 */
class LoginsEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String FACEBOOK_TOKEN = "facebook-login-token-0123456789";
  static final String INSTAGRAM_TOKEN = "IGAAinstagram-login-token-0123456789";

  /**
   * What Facebook Login serves and Instagram Login does not (Meta's Instagram API with Instagram
   * Login docs), and the page.
   */
  static final Set<String> FACEBOOK_LOGIN_ONLY =
      Set.of(
          "page_id",
          "total_likes",
          "total_comments",
          "total_views",
          "link_clicks",
          "reposts_count",
          "saved_count",
          "shares_count");

  static final String ALL_STREAMS =
      "users,user_lifetime_insights,user_insights,media,media_insights,stories," + "story_insights";

  static GraphApiEmulator emulator;
  static IgUser first;
  @TempDir static Path dir;
  static JobHarness.Run facebookRun;
  static JobHarness.Run instagramRun;

  @BeforeAll
  static void runBothLogins() {
    emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken(FACEBOOK_TOKEN)
            .instagramAccessToken(INSTAGRAM_TOKEN)
            .accounts(2)
            .pagesWithoutInstagram(1)
            .mediaPerAccount(40)
            .storiesPerAccount(6)
            .now(NOW)
            .build()
            .start();
    first = emulator.dataset().users().get(0);
    facebookRun =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=" + FACEBOOK_TOKEN,
            "--now=" + NOW,
            "--output=" + dir.resolve("facebook"),
            "--streams=" + ALL_STREAMS);
    instagramRun =
        JobHarness.run(
            "--graphApiUrl=" + emulator.instagramBaseUrl(),
            "--accessToken=" + INSTAGRAM_TOKEN,
            "--now=" + NOW,
            "--output=" + dir.resolve("instagram"),
            "--streams=" + ALL_STREAMS);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void anInstagramLoginTokenReadsItsOwnAccountOverInstagramLogin() {
    assertEquals(Main.OK, instagramRun.exitCode(), instagramRun.err());
    assertTrue(instagramRun.out().contains("(Instagram Login)"), instagramRun.out());
    assertTrue(instagramRun.out().contains("accounts: 1 (pages: 0)"), instagramRun.out());
    assertFalse(instagramRun.out().contains("WARNING"), instagramRun.out());
    Map<String, List<ObjectNode>> published = JobHarness.published(dir.resolve("instagram"));
    assertEquals(Set.of(ALL_STREAMS.split(",")), published.keySet());
    for (Map.Entry<String, List<ObjectNode>> stream : published.entrySet()) {
      if (!stream.getKey().equals("stories") && !stream.getKey().equals("story_insights")) {
        assertFalse(stream.getValue().isEmpty(), stream.getKey());
      }
      for (ObjectNode record : stream.getValue()) {
        String account =
            record.has("business_account_id")
                ? record.path("business_account_id").asText()
                : record.path("id").asText();
        assertEquals(first.id(), account, stream.getKey() + " " + record);
        if (record.has("page_id")) {
          assertTrue(record.get("page_id").isNull(), "no page under Instagram Login: " + record);
        }
      }
    }
  }

  @Test
  void instagramLoginRecordsAreFacebookLoginsWithoutWhatOnlyFacebookLoginServes() {
    assertEquals(Main.OK, facebookRun.exitCode(), facebookRun.err());
    Map<String, List<ObjectNode>> viaFacebook = JobHarness.published(dir.resolve("facebook"));
    Map<String, List<ObjectNode>> viaInstagram = JobHarness.published(dir.resolve("instagram"));
    boolean facebookOnlyMetricsSeen = false;
    for (String stream : ALL_STREAMS.split(",")) {
      Set<String> expected = new TreeSet<>();
      for (ObjectNode record : viaFacebook.get(stream)) {
        boolean ofFirst =
            first
                .id()
                .equals(record.path("business_account_id").asText(record.path("id").asText()));
        if (ofFirst) {
          String common = without(record, FACEBOOK_LOGIN_ONLY).toString();
          facebookOnlyMetricsSeen |= !common.equals(without(record, Set.of("page_id")).toString());
          expected.add(common);
        }
      }
      Set<String> actual =
          viaInstagram.get(stream).stream()
              .map(r -> without(r, FACEBOOK_LOGIN_ONLY).toString())
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(actual);
      Set<String> extra = new TreeSet<>(actual);
      extra.removeAll(expected);
      assertTrue(
          missing.isEmpty() && extra.isEmpty() && !expected.isEmpty(),
          stream
              + ": "
              + expected.size()
              + " records expected, missing "
              + missing.stream().findFirst()
              + ", unexpected "
              + extra.stream().findFirst());
    }
    assertTrue(
        facebookOnlyMetricsSeen,
        "Facebook Login's records hold metrics Instagram Login does not serve");
  }

  @Test
  void aStreamTheLoginDoesNotServeIsReportedOnceAndLeftOut() {
    Path out = dir.resolve("api");
    JobHarness.Run run =
        JobHarness.run(
            "--graphApiUrl=" + emulator.instagramBaseUrl(),
            "--accessToken=" + INSTAGRAM_TOKEN,
            "--now=" + NOW,
            "--output=" + out,
            "--streams=Api,users,competitors",
            "--competitors=rival_co");
    assertEquals(Main.OK, run.exitCode(), run.err());
    for (String stream : List.of("Api", "competitors")) {
      String line =
          "stream " + stream + " is not served with Instagram Login; it is left out of this run";
      assertEquals(1, run.out().split(line, -1).length - 1, run.out());
    }
    assertEquals(Set.of("users"), JobHarness.published(out).keySet());
  }

  @Test
  void pagesWithoutAnInstagramAccountAreCountedWithTheWayToReachPortfolioAccounts() {
    try (GraphApiEmulator portfolio = portfolioEmulator(false)) {
      Path out = dir.resolve("hidden");
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--output=" + out,
              "--streams=users");
      assertEquals(Main.OK, run.exitCode(), run.err());
      assertEquals(
          2, JobHarness.published(out).get("users").size(), "the portfolio's account is hidden");
      assertTrue(
          run.out()
              .contains(
                  "instabeam: WARNING 2 Facebook page(s) the token reaches show no Instagram "
                      + "business account"),
          run.out());
      assertTrue(
          run.out().contains("business_management") && run.out().contains("--accounts=ID"),
          run.out());
    }
  }

  @Test
  void accountsReachesAPortfolioAccountThatDiscoveryDoesNotList() {
    try (GraphApiEmulator portfolio = portfolioEmulator(false)) {
      String owned = portfolio.dataset().portfolio().orElseThrow().instagramAccountIds().get(0);
      Path out = dir.resolve("by-id");
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--output=" + out,
              "--streams=Api,users,media",
              "--accounts=" + owned + "," + first.id());
      assertEquals(Main.OK, run.exitCode(), run.err());
      Map<String, ObjectNode> users = byId(JobHarness.published(out).get("users"));
      assertEquals(Set.of(owned, first.id()), users.keySet());
      assertTrue(users.get(owned).get("page_id").isNull(), "its page is not known");
      ObjectNode api = byId(JobHarness.published(out).get("Api")).get(owned);
      assertEquals(
          owned,
          api.at("/account/business_account_id").asText(),
          "Api's id is the account's: no page");
      assertTrue(api.at("/account/page_id").isNull(), api.toString());
      assertEquals(first.pageId(), users.get(first.id()).path("page_id").asText());
      assertEquals(
          portfolio.dataset().media(owned).size(),
          JobHarness.published(out).get("media").stream()
              .filter(m -> m.path("business_account_id").asText().equals(owned))
              .count());
    }
  }

  @Test
  void businessIdListsThePortfolioAccountsWhosePagesTheTokenDoesNotManage() {
    try (GraphApiEmulator portfolio = portfolioEmulator(true)) {
      BusinessPortfolio business = portfolio.dataset().portfolio().orElseThrow();
      Path out = dir.resolve("business");
      JobHarness.Run without =
          JobHarness.run(
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--output=" + dir.resolve("no-business"),
              "--streams=users");
      assertEquals(
          2, JobHarness.published(dir.resolve("no-business")).get("users").size(), without.err());
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--output=" + out,
              "--streams=users",
              "--businessId=" + business.id());
      assertEquals(Main.OK, run.exitCode(), run.err());
      assertEquals(
          portfolio.dataset().users().stream().map(IgUser::id).collect(Collectors.toSet()),
          byId(JobHarness.published(out).get("users")).keySet());
      assertTrue(run.out().contains("accounts: 3"), run.out());
      JobHarness.Run check =
          JobHarness.run(
              "check",
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--businessId=" + business.id());
      assertEquals(Main.OK, check.exitCode(), check.out());
      assertTrue(
          check
              .out()
              .contains(
                  "portfolio "
                      + business.id()
                      + ": 1 Instagram business account(s): "
                      + business.instagramAccountIds().get(0)),
          check.out());
      assertTrue(check.out().contains("business_management granted"), check.out());
    }
  }

  @Test
  void checkSaysWhenThePortfolioCannotBeRead() {
    try (GraphApiEmulator portfolio = portfolioEmulator(false)) {
      String business = portfolio.dataset().portfolio().orElseThrow().id();
      JobHarness.Run check =
          JobHarness.run(
              "check",
              "--graphApiUrl=" + portfolio.baseUrl(),
              "--accessToken=" + FACEBOOK_TOKEN,
              "--now=" + NOW,
              "--businessId=" + business);
      assertEquals(Main.FAILED, check.exitCode(), check.out());
      assertTrue(check.out().contains("portfolio " + business + ": cannot be read"), check.out());
      assertTrue(
          check
              .out()
              .contains("2 Facebook page(s) the token reaches show no Instagram business account"),
          check.out());
    }
  }

  @Test
  void refreshTokenWritesTheNewTokenBackToItsFileAndNeverPrintsIt() throws IOException {
    try (GraphApiEmulator refreshing =
        GraphApiEmulator.builder()
            .seed(11)
            .instagramAccessToken(INSTAGRAM_TOKEN)
            .accounts(1)
            .mediaPerAccount(5)
            .now(NOW)
            .build()
            .start()) {
      Path file = dir.resolve("token.txt");
      Files.writeString(file, INSTAGRAM_TOKEN + "\n");
      JobHarness.Run run =
          JobHarness.run(
              "refresh-token",
              "--graphApiUrl=" + refreshing.instagramBaseUrl(),
              "--accessTokenFile=" + file,
              "--now=" + NOW);
      assertEquals(Main.OK, run.exitCode(), run.err());
      String refreshed = Files.readAllLines(file).get(0);
      assertEquals(refreshing.instagramAccessToken(), refreshed);
      assertNotEquals(INSTAGRAM_TOKEN, refreshed);
      assertTrue(
          run.out()
              .contains(
                  "wrote it to "
                      + file
                      + "; it expires "
                      + NOW.plus(Duration.ofDays(60))
                      + " (in 60 days)"),
          run.out());
      assertFalse(
          (run.out() + run.err()).contains(refreshed)
              || (run.out() + run.err()).contains(INSTAGRAM_TOKEN));
      JobHarness.Run next =
          JobHarness.run(
              "--graphApiUrl=" + refreshing.instagramBaseUrl(),
              "--accessTokenFile=" + file,
              "--now=" + NOW,
              "--output=" + dir.resolve("refreshed"),
              "--streams=users");
      assertEquals(
          Main.OK, next.exitCode(), "the job runs with the refreshed token: " + next.err());
    }
  }

  @Test
  void refreshTokenRefusesATokenItCouldNotWriteBackAndAFacebookLoginToken() {
    JobHarness.Run notAFile =
        JobHarness.run(
            "refresh-token",
            "--graphApiUrl=" + emulator.instagramBaseUrl(),
            "--accessToken=" + INSTAGRAM_TOKEN);
    assertEquals(Main.BAD_CONFIG, notAFile.exitCode());
    assertTrue(notAFile.err().contains("--accessTokenFile=PATH"), notAFile.err());
    assertEquals(1, notAFile.err().strip().lines().count(), notAFile.err());
    assertEquals(INSTAGRAM_TOKEN, emulator.instagramAccessToken(), "nothing was refreshed");
    JobHarness.Run facebook =
        JobHarness.run(
            "refresh-token",
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=" + FACEBOOK_TOKEN);
    assertEquals(Main.BAD_CONFIG, facebook.exitCode());
    assertTrue(
        facebook.err().contains("refresh-token refreshes Instagram-Login tokens"), facebook.err());
  }

  @Test
  void helpStatesHowAutoTellsTheLoginsApart() {
    JobHarness.Run help = JobHarness.run("--help");
    assertEquals(Main.OK, help.exitCode());
    String text = help.out().replaceAll("\\s+", " ");
    assertTrue(text.contains("--login=<String> Default: auto"), text);
    assertTrue(
        text.contains(
            "or auto: a token starting with IGAA is Instagram Login, any other Facebook Login"),
        text);
    assertTrue(text.contains("instabeam refresh-token"), text);
  }

  @Test
  void badLoginValuesAndAccountIdsAreOneLineErrors() {
    JobHarness.Run login =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=" + FACEBOOK_TOKEN,
            "--login=twitter",
            "--output=" + dir.resolve("bad"));
    assertEquals(Main.BAD_CONFIG, login.exitCode());
    assertEquals(
        "instabeam: --login=twitter is not valid: use one of auto, facebook, instagram",
        login.err().strip());
    JobHarness.Run typo =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=" + FACEBOOK_TOKEN,
            "--accounts=@urban.bakery",
            "--output=" + dir.resolve("bad"));
    assertEquals(Main.BAD_CONFIG, typo.exitCode());
    assertTrue(
        typo.err()
            .startsWith(
                "instabeam: --accounts=@urban.bakery is not valid: '@urban.bakery' is not an "
                    + "Instagram account id"),
        typo.err());
    JobHarness.Run unreadable =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=" + FACEBOOK_TOKEN,
            "--now=" + NOW,
            "--accounts=17841400000000001",
            "--streams=users",
            "--output=" + dir.resolve("bad"));
    assertEquals(Main.FAILED, unreadable.exitCode());
    assertTrue(
        unreadable
            .err()
            .contains("--accounts lists 17841400000000001, which this token cannot read"),
        unreadable.err());
    assertEquals(1, unreadable.err().strip().lines().count(), unreadable.err());
    JobHarness.Run business =
        JobHarness.run(
            "--graphApiUrl=" + emulator.instagramBaseUrl(),
            "--accessToken=" + INSTAGRAM_TOKEN,
            "--businessId=123",
            "--output=" + dir.resolve("bad"));
    assertEquals(Main.BAD_CONFIG, business.exitCode());
    assertTrue(
        business.err().contains("Business portfolios are read with Facebook Login"),
        business.err());
  }

  @Test
  void checkReportsTheLoginHostPermissionsAccountAndStreams() {
    JobHarness.Run run =
        JobHarness.run(
            "check",
            "--graphApiUrl=" + emulator.instagramBaseUrl(),
            "--accessToken=" + INSTAGRAM_TOKEN,
            "--streams=Api,users,media",
            "--now=" + NOW);
    assertEquals(Main.OK, run.exitCode(), run.out() + run.err());
    assertTrue(
        run.out()
            .contains("login: Instagram Login (instagram), host " + emulator.instagramBaseUrl()),
        run.out());
    assertTrue(run.out().contains("a long-lived token lasts 60 days"), run.out());
    assertTrue(
        run.out()
            .contains(
                "permissions: all granted (instagram_business_basic, "
                    + "instagram_business_manage_insights)"),
        run.out());
    assertTrue(
        run.out()
            .contains("accounts: 1 Instagram business account, the token's own: " + first.id()),
        run.out());
    assertTrue(
        run.out()
            .contains(
                "streams: served with Instagram Login: users, media; not served (left out): Api"),
        run.out());
    emulator.revokePermission("instagram_business_manage_insights");
    try {
      JobHarness.Run missing =
          JobHarness.run(
              "check",
              "--graphApiUrl=" + emulator.instagramBaseUrl(),
              "--accessToken=" + INSTAGRAM_TOKEN,
              "--now=" + NOW);
      assertEquals(Main.FAILED, missing.exitCode(), missing.out());
      assertTrue(
          missing.out().contains("MISSING instagram_business_manage_insights"), missing.out());
    } finally {
      emulator.grantPermission("instagram_business_manage_insights");
    }
  }

  @Test
  void aMissingPermissionIsNamedAsInstagramLoginNamesIt() {
    emulator.revokePermission("instagram_business_basic");
    try {
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + emulator.instagramBaseUrl(),
              "--accessToken=" + INSTAGRAM_TOKEN,
              "--now=" + NOW,
              "--output=" + dir.resolve("denied"),
              "--streams=users");
      assertEquals(Main.FAILED, run.exitCode(), run.out());
      assertTrue(run.err().contains("grant instagram_business_basic to the app"), run.err());
      assertTrue(
          run.err()
              .contains(
                  "with Instagram Login instabeam needs instagram_business_basic, "
                      + "instagram_business_manage_insights"),
          run.err());
    } finally {
      emulator.grantPermission("instagram_business_basic");
    }
  }

  @Test
  void theDemoRunsOverInstagramLogin() {
    Path out = dir.resolve("demo");
    JobHarness.Run run =
        JobHarness.run("--demo", "--login=instagram", "--output=" + out, "--streams=users,stories");
    assertEquals(Main.OK, run.exitCode(), run.err());
    assertTrue(run.out().contains("(Instagram Login)"), run.out());
    List<ObjectNode> users = JobHarness.published(out).get("users");
    assertEquals(1, users.size());
    assertTrue(users.get(0).get("page_id").isNull());
  }

  @Test
  void discoverWithInstagramLoginShowsItsHostPermissionsAndWhatItRequests() throws IOException {
    JobHarness.Run run = JobHarness.run("discover", "--login=instagram");
    assertEquals(Main.OK, run.exitCode(), run.err());
    JsonNode catalog = JobHarness.JSON.readTree(run.out());
    assertEquals("https://graph.instagram.com", catalog.at("/instabeam_login/host").asText());
    assertEquals(
        "[\"instagram_business_basic\",\"instagram_business_manage_insights\"]",
        catalog.at("/instabeam_login/permissions").toString());
    for (JsonNode stream : catalog.path("streams")) {
      if (stream.path("name").asText().equals("Api")) {
        assertEquals("[\"facebook\"]", stream.path("instabeam_logins").toString());
        assertFalse(stream.has("instabeam_requests"));
      }
      if (stream.path("name").asText().equals("media_insights")) {
        String current = stream.at("/instabeam_requests/current").toString();
        assertTrue(current.contains("\"reach\"") && !current.contains("total_likes"), current);
      }
    }
  }

  /** Three accounts, the last owned by a Business portfolio; the token has business_management. */
  private static GraphApiEmulator portfolioEmulator(boolean pagesUnmanaged) {
    GraphApiEmulator.Builder builder =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken(FACEBOOK_TOKEN)
            .accounts(3)
            .pagesWithoutInstagram(1)
            .mediaPerAccount(20)
            .storiesPerAccount(2)
            .portfolioAccounts(1)
            .now(NOW);
    if (pagesUnmanaged) {
      builder
          .portfolioPagesUnmanaged()
          .permissions(
              Set.of(
                  "instagram_basic",
                  "instagram_manage_insights",
                  "pages_show_list",
                  "pages_read_engagement",
                  "business_management"));
    }
    return builder.build().start();
  }

  /**
   * The record without {@code keys}, also in nested objects ({@code media_insights_info.page_id}).
   */
  private static ObjectNode without(ObjectNode record, Set<String> keys) {
    ObjectNode copy = record.deepCopy();
    copy.remove(keys);
    copy.fields()
        .forEachRemaining(
            field -> {
              if (field.getValue() instanceof ObjectNode nested) {
                field.setValue(without(nested, keys));
              }
            });
    return copy;
  }

  private static Map<String, ObjectNode> byId(List<ObjectNode> records) {
    return records.stream().collect(Collectors.toMap(r -> r.path("id").asText(), r -> r));
  }
}
