package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.transforms.Accounts;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code check} command: is the token valid and when does it expire ({@code debug_token}), which of the
 * permissions instabeam needs are missing ({@code me/permissions}), and which pages and Instagram business
 * accounts the token reaches ({@code me/accounts}).
 */
final class Check {
  static final List<String> REQUIRED_PERMISSIONS =
      List.of("instagram_basic", "instagram_manage_insights", "pages_show_list", "pages_read_engagement");
  static final Duration EXPIRY_WARNING = Duration.ofDays(7);

  private Check() {}

  /** Prints the report; returns true when the token can run the job. */
  static boolean run(GraphApiConfig config, Instant now, PrintStream out) {
    GraphApiClient client = new GraphApiClient(config);
    // Sent as one batch (a POST), so the token given to debug_token travels in the body, never in a URL.
    List<GraphResponse> answers = client.batch(List.of(
        GraphRequest.get("debug_token", null).with("input_token", config.token().value()),
        GraphRequest.get("me/permissions", null)));
    boolean ok = reportToken(answers.get(0), now, out);
    ok &= reportPermissions(answers.get(1), out);
    ok &= reportAccounts(client, out);
    out.println(ok ? "check: OK, the token can run instabeam" : "check: FAILED, fix the problems above");
    return ok;
  }

  private static boolean reportToken(GraphResponse answer, Instant now, PrintStream out) {
    if (!answer.isOk()) {
      out.println("token: INVALID: " + answer.error().summary()
          + " — create a new long-lived token and pass it with --accessToken");
      return false;
    }
    JsonNode data = answer.body().path("data");
    if (!data.path("is_valid").asBoolean(false)) {
      out.println("token: INVALID (debug_token says is_valid=false) — create a new long-lived token");
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
      out.println("token: WARNING it expires within " + EXPIRY_WARNING.toDays() + " days: renew it before the next "
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
    List<String> missing = new ArrayList<>(REQUIRED_PERMISSIONS);
    missing.removeAll(granted);
    out.println("permissions: " + (missing.isEmpty()
        ? "all granted (" + String.join(", ", REQUIRED_PERMISSIONS) + ")"
        : "MISSING " + String.join(", ", missing) + " — grant them to the app and create a new token"));
    return missing.isEmpty();
  }

  private static boolean reportAccounts(GraphApiClient client, PrintStream out) {
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
      out.println("  page " + page.path("id").asText() + " (" + page.path("name").asText("") + ") -> "
          + (ig.isEmpty() ? "no Instagram business account" : "Instagram business account " + ig));
    }
    out.println("accounts: " + pages + " page(s), " + accounts + " Instagram business account(s)");
    if (accounts == 0) {
      out.println("accounts: none reachable — link an Instagram professional account to a Facebook page this token "
          + "can manage");
    }
    return accounts > 0;
  }
}
