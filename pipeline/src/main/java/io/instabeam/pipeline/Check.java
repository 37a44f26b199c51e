package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.transforms.Accounts;
import io.instabeam.transforms.Login;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code check} command: which login and host the run uses; is the token valid and when does it
 * expire ({@code debug_token} with Facebook Login; Instagram Login does not say, see {@link
 * TokenRefresh}); which of the permissions instabeam needs are missing; which accounts the token
 * reaches; and which selected streams the login serves.
 */
final class Check {
  static final Duration EXPIRY_WARNING = Duration.ofDays(7);

  private Check() {}

  /** Prints the report; returns true when the token can run the job. */
  static boolean run(JobConfig job, PrintStream out) {
    GraphApiConfig config = job.graph();
    out.println(
        "login: "
            + job.login().title()
            + " ("
            + job.login().optionValue()
            + "), host "
            + config.baseUrl()
            + ", Graph API "
            + config.apiVersion());
    GraphApiClient client = new GraphApiClient(config);
    boolean ok =
        job.login() == Login.INSTAGRAM
            ? instagramLogin(client, out)
            : facebookLogin(client, job, out);
    reportStreams(job, out);
    out.println(
        ok ? "check: OK, the token can run instabeam" : "check: FAILED, fix the problems above");
    return ok;
  }

  // -------------------------------------------------------------------------------------------
  // Facebook Login

  private static boolean facebookLogin(GraphApiClient client, JobConfig job, PrintStream out) {
    // Sent as one batch (a POST), so the token given to debug_token travels in the body, never in a
    // URL.
    List<GraphResponse> answers =
        client.batch(
            List.of(
                GraphRequest.get("debug_token", null)
                    .with("input_token", job.graph().token().value()),
                GraphRequest.get("me/permissions", null)));
    boolean ok = reportToken(answers.get(0), job.now(), out);
    ok &= reportPermissions(answers.get(1), out);
    ok &= reportPages(client, out);
    if (job.businessId() != null) {
      ok &= reportPortfolio(client, job.businessId(), out);
    }
    return ok;
  }

  private static boolean reportPortfolio(
      GraphApiClient client, String businessId, PrintStream out) {
    try {
      List<String> owned = Accounts.listPortfolio(client, businessId);
      out.println(
          "portfolio "
              + businessId
              + ": "
              + owned.size()
              + " Instagram business account(s)"
              + (owned.isEmpty() ? "" : ": " + String.join(", ", owned)));
      return true;
    } catch (GraphApiException e) {
      out.println(
          "portfolio "
              + businessId
              + ": cannot be read: "
              + e.error().summary()
              + " — --businessId needs business_management and a token of someone in that portfolio");
      return false;
    }
  }

  private static boolean reportToken(GraphResponse answer, Instant now, PrintStream out) {
    if (!answer.isOk()) {
      out.println(
          "token: INVALID: "
              + answer.error().summary()
              + " — create a new long-lived token and pass it with --accessToken");
      return false;
    }
    JsonNode data = answer.body().path("data");
    if (!data.path("is_valid").asBoolean(false)) {
      out.println(
          "token: INVALID (debug_token says is_valid=false) — create a new long-lived token");
      return false;
    }
    long expiresAt = data.path("expires_at").asLong(0);
    if (expiresAt == 0) {
      out.println("token: valid, does not expire");
      return true;
    }
    Instant expires = Instant.ofEpochSecond(expiresAt);
    Duration left = Duration.between(now, expires);
    out.println("token: valid, expires " + expires + " (in " + left.toDays() + " days)");
    if (left.compareTo(EXPIRY_WARNING) < 0) {
      out.println(
          "token: WARNING it expires within "
              + EXPIRY_WARNING.toDays()
              + " days: renew it before the next "
              + "scheduled run");
    }
    return true;
  }

  private static boolean reportPermissions(GraphResponse answer, PrintStream out) {
    if (!answer.isOk()) {
      out.println("permissions: cannot be read: " + answer.error().summary());
      return false;
    }
    Set<String> granted = new LinkedHashSet<>();
    for (JsonNode permission : answer.body().path("data")) {
      if ("granted".equals(permission.path("status").asText())) {
        granted.add(permission.path("permission").asText());
      }
    }
    List<String> missing = new ArrayList<>(Login.FACEBOOK.permissions());
    missing.removeAll(granted);
    out.println(
        "permissions: "
            + (missing.isEmpty()
                ? "all granted (" + String.join(", ", Login.FACEBOOK.permissions()) + ")"
                : "MISSING "
                    + String.join(", ", missing)
                    + " — grant them to the app and create a new token")
            + (granted.contains("business_management")
                ? "; business_management granted (portfolio-owned accounts " + "are visible)"
                : ""));
    return missing.isEmpty();
  }

  private static boolean reportPages(GraphApiClient client, PrintStream out) {
    List<JsonNode> found;
    try {
      found = Accounts.listPages(client, "id,name,instagram_business_account");
    } catch (GraphApiException e) {
      out.println("accounts: cannot list pages: " + e.error().summary());
      return false;
    }
    int pages = found.size();
    int accounts = 0;
    for (JsonNode page : found) {
      String ig = Accounts.instagramAccountOf(page);
      accounts += ig.isEmpty() ? 0 : 1;
      out.println(
          "  page "
              + page.path("id").asText()
              + " ("
              + page.path("name").asText("")
              + ") -> "
              + (ig.isEmpty()
                  ? "no Instagram business account"
                  : "Instagram business account " + ig));
    }
    out.println("accounts: " + pages + " page(s), " + accounts + " Instagram business account(s)");
    if (pages > accounts) {
      out.println("accounts: " + Accounts.pagesWithoutInstagramWarning(pages - accounts));
    }
    if (accounts == 0) {
      out.println(
          "accounts: none reachable — link an Instagram professional account to a Facebook page this token "
              + "can manage");
    }
    return accounts > 0;
  }

  // ------------------------------------------------------------------------------------------
  // Instagram Login

  /**
   * {@code GET /me} proves the token and its basic permission; one account insights call proves the
   * insights one (Instagram Login has no {@code debug_token} or {@code me/permissions}).
   */
  private static boolean instagramLogin(GraphApiClient client, PrintStream out) {
    GraphResponse me = client.tryGet(GraphRequest.get("me", null).with("fields", "id,username"));
    if (!me.isOk()) {
      out.println(
          "token: INVALID: "
              + me.error().summary()
              + " — create a new long-lived Instagram-Login token "
              + "(or refresh it before it expires: instabeam refresh-token)");
      return false;
    }
    String account = me.body().path("id").asText();
    out.println(
        "token: valid; Instagram Login does not report when a token expires: a long-lived token lasts 60 "
            + "days from when it was issued or last refreshed; `instabeam refresh-token` refreshes it and prints the "
            + "new expiry");
    GraphResponse insights =
        client.tryGet(
            GraphRequest.get(account + "/insights", account)
                .with("metric", "reach")
                .with("period", "day"));
    List<String> permissions = Login.INSTAGRAM.permissions();
    boolean ok = insights.isOk();
    out.println(
        "permissions: "
            + (ok
                ? "all granted (" + String.join(", ", permissions) + ")"
                : "MISSING "
                    + permissions.get(1)
                    + " ("
                    + insights.error().summary()
                    + ") — grant it to the app and "
                    + "create a new token"));
    out.println(
        "accounts: 1 Instagram business account, the token's own: "
            + account
            + " (@"
            + me.body().path("username").asText("")
            + "), no Facebook page");
    return ok;
  }

  private static void reportStreams(JobConfig job, PrintStream out) {
    out.println(
        "streams: served with "
            + job.login().title()
            + ": "
            + String.join(", ", job.streams().stream().map(StreamDefinition::name).toList())
            + (job.unservedStreams().isEmpty()
                ? ""
                : "; not served (left out): "
                    + String.join(
                        ", ",
                        job.unservedStreams().stream().map(StreamDefinition::name).toList())));
  }
}
