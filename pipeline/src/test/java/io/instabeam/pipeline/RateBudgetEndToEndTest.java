package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.GraphApiEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job under a per-account budget it must exceed several times, on the wall clock with a
 * two-second window: every stream's DoFns, on the runner's threads, share each account's budget and
 * pace on the emulator's real usage headers, so the job finishes with the unlimited run's output
 * and the emulator never has to refuse a call. (The waits themselves are asserted exactly, on a
 * fake clock, in the transforms module's {@code RateBudgetTest}.)
 */
class RateBudgetEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "token-budget";
  static final int CALLS_PER_WINDOW = 20;
  static final int WINDOW_SECONDS = 2;

  @TempDir static Path root;
  static Map<String, Map<JsonNode, Long>> unlimited;
  static JobHarness.Run limitedRun;
  static EmulatorStats limitedStats;
  static Map<String, Map<JsonNode, Long>> limited;

  @BeforeAll
  static void runWithAndWithoutTheBudget() {
    unlimited = published(root.resolve("unlimited"), 0);
    limited = published(root.resolve("limited"), CALLS_PER_WINDOW);
  }

  @Test
  void theJobFinishesWithTheSameOutputAsWithoutABudget() {
    assertEquals(0, limitedRun.exitCode(), limitedRun.err());
    assertEquals(unlimited, limited);
  }

  @Test
  void theJobNeededSeveralWindowsOfItsBudget() {
    limitedStats
        .callsByAccount()
        .forEach(
            (account, calls) ->
                assertTrue(calls > 2 * CALLS_PER_WINDOW, account + " made " + calls + " calls"));
    assertEquals(2, limitedStats.callsByAccount().size(), limitedStats.toJson().toString());
  }

  @Test
  void noCallIsRefusedBecauseTheClientPacesBeforeTheLimit() {
    assertEquals(
        Map.of(), limitedStats.rateLimitErrorsByAccount(), limitedStats.toJson().toString());
  }

  @Test
  void throttledTimeIsReportedInTheRunSummary() {
    Matcher throttled = Pattern.compile("throttled (\\d+) ms").matcher(limitedRun.out());
    assertTrue(throttled.find(), limitedRun.out());
    assertTrue(Long.parseLong(throttled.group(1)) > 0, limitedRun.out());
  }

  /**
   * Runs the job against an emulator on the wall clock with {@code callsPerWindow} per account (0:
   * unlimited).
   */
  static Map<String, Map<JsonNode, Long>> published(Path output, int callsPerWindow) {
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(31)
            .accessToken(TOKEN)
            .accounts(2)
            .pagesWithoutInstagram(1)
            .mediaPerAccount(40)
            .storiesPerAccount(4)
            .now(NOW)
            .systemClock()
            .callsPerWindow(callsPerWindow)
            .rateWindow(Duration.ofSeconds(WINDOW_SECONDS))
            .build()
            .start()) {
      emulator.clock().set(NOW);
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + emulator.baseUrl(),
              "--accessToken=" + TOKEN,
              "--now=" + NOW,
              "--output=" + output,
              "--rateWindowSeconds=" + WINDOW_SECONDS,
              "--retryBackoffMillis=50",
              "--maxConcurrentPerAccount=2",
              "--streams=Api,users,user_lifetime_insights,media,media_insights,stories,story_insights");
      assertEquals(0, run.exitCode(), run.err());
      if (callsPerWindow > 0) {
        limitedRun = run;
        limitedStats = emulator.stats();
      }
    }
    return JobHarness.published(output).entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    e.getValue().stream()
                        .collect(
                            Collectors.groupingBy(
                                Function.<JsonNode>identity(), Collectors.counting())),
                (a, b) -> a,
                TreeMap::new));
  }
}
