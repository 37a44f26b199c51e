package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.RecordedRequest;
import io.instabeam.schemas.StreamCatalog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The operator commands: {@code check} against the emulator, {@code discover} and {@code discover
 * --erd}.
 */
class CommandsTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "check-token-0123456789";

  @Test
  void checkListsPagesAccountsAndTheTokensExpiry() {
    try (GraphApiEmulator emulator = emulator(NOW.plus(Duration.ofDays(50)))) {
      JobHarness.Run run = check(emulator);
      assertEquals(Main.OK, run.exitCode(), run.out() + run.err());
      assertTrue(
          run.out().contains("token: valid, expires " + NOW.plus(Duration.ofDays(50))), run.out());
      assertFalse(run.out().contains("WARNING"), run.out());
      assertTrue(run.out().contains("permissions: all granted"), run.out());
      for (IgUser user : emulator.dataset().users()) {
        assertTrue(run.out().contains("Instagram business account " + user.id()), run.out());
      }
      assertTrue(run.out().contains("3 page(s), 2 Instagram business account(s)"), run.out());
      assertTrue(run.out().contains("no Instagram business account"), run.out());
      assertFalse(run.out().contains(TOKEN) || run.err().contains(TOKEN));
      assertTrue(
          emulator.requests().stream()
              .filter(r -> r.kind().equals("debug_token"))
              .allMatch(RecordedRequest::batched),
          "debug_token's input_token travels in a batch body, never in a URL");
    }
  }

  @Test
  void checkWarnsWhenTheTokenExpiresWithinSevenDays() {
    try (GraphApiEmulator emulator = emulator(NOW.plus(Duration.ofDays(3)))) {
      JobHarness.Run run = check(emulator);
      assertEquals(Main.OK, run.exitCode(), run.out());
      assertTrue(run.out().contains("WARNING it expires within 7 days"), run.out());
    }
  }

  @Test
  void checkNamesAMissingPermissionAndFails() {
    try (GraphApiEmulator emulator = emulator(NOW.plus(Duration.ofDays(50)))) {
      emulator.revokePermission("instagram_manage_insights");
      JobHarness.Run run = check(emulator);
      assertEquals(Main.FAILED, run.exitCode(), run.out());
      assertTrue(run.out().contains("MISSING instagram_manage_insights"), run.out());
      assertTrue(run.out().contains("check: FAILED"), run.out());
    }
  }

  @Test
  void checkWithAnExpiredTokenSaysSo() {
    try (GraphApiEmulator emulator = emulator(NOW.plus(Duration.ofDays(50)))) {
      emulator.expireToken();
      JobHarness.Run run = check(emulator);
      assertEquals(Main.FAILED, run.exitCode(), run.out());
      assertTrue(run.out().contains("token: INVALID"), run.out());
      assertFalse(run.out().contains(TOKEN) || run.err().contains(TOKEN));
    }
  }

  @Test
  void discoverPrintsEveryStreamWithKeysCursorAndSchema() throws IOException {
    JobHarness.Run run = JobHarness.run("discover");
    assertEquals(Main.OK, run.exitCode());
    JsonNode streams = JobHarness.JSON.readTree(run.out()).path("streams");
    assertEquals(StreamCatalog.all().size(), streams.size());
    for (JsonNode stream : streams) {
      assertTrue(StreamCatalog.names().contains(stream.path("name").asText()));
      assertTrue(stream.path("json_schema").path("properties").size() > 1);
      assertFalse(stream.path("instabeam_one_record_per").asText().isBlank(), stream.toString());
    }
    JsonNode userInsights =
        streams.findParents("name").stream()
            .filter(s -> s.path("name").asText().equals("user_insights"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "[[\"business_account_id\"],[\"date\"]]",
        userInsights.path("source_defined_primary_key").toString());
    assertEquals("[\"date\"]", userInsights.path("default_cursor_field").toString());
    assertTrue(userInsights.path("supported_sync_modes").toString().contains("incremental"));
    assertTrue(
        userInsights
            .path("instabeam_requests")
            .path("current")
            .path("daily_total_value")
            .toString()
            .contains("\"views\""),
        userInsights.toString());
    assertEquals(
        "[\"follower_count\",\"reach\"]",
        userInsights.path("instabeam_requests").path("airbyte").path("day").toString());
    JsonNode mediaInsights =
        streams.findParents("name").stream()
            .filter(s -> s.path("name").asText().equals("media_insights"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        "[\"reach\",\"saved\"]",
        mediaInsights.path("instabeam_requests").path("airbyte").path("VIDEO/FEED").toString());
    assertTrue(
        mediaInsights
            .path("instabeam_requests")
            .path("current")
            .path("VIDEO/REELS")
            .toString()
            .contains("\"reels_skip_rate\""));
  }

  @Test
  void discoverErdIsAMermaidDiagramOfEveryStreamAndItsRelations() {
    JobHarness.Run run = JobHarness.run("discover", "--erd");
    assertEquals(Main.OK, run.exitCode());
    assertTrue(run.out().startsWith("erDiagram"));
    StreamCatalog.names().forEach(name -> assertTrue(run.out().contains("  " + name + " {"), name));
    assertTrue(run.out().contains("users ||--o{ media"));
    assertTrue(run.out().contains("media ||--o| media_insights"));
    assertTrue(run.out().contains("timestamp date PK"));
  }

  private static GraphApiEmulator emulator(Instant expiresAt) {
    return GraphApiEmulator.builder()
        .seed(5)
        .accessToken(TOKEN)
        .accounts(2)
        .pagesWithoutInstagram(1)
        .mediaPerAccount(5)
        .now(NOW)
        .tokenExpiresAt(expiresAt)
        .build()
        .start();
  }

  private static JobHarness.Run check(GraphApiEmulator emulator) {
    return JobHarness.run(
        "check", "--graphApiUrl=" + emulator.baseUrl(), "--accessToken=" + TOKEN, "--now=" + NOW);
  }
}
