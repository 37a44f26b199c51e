package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run never replaces published records with nothing without being told to: when the token loses
 * its pages ({@code me/accounts} answers an empty list), the streams come back empty, and a run in
 * an overwrite mode fails and publishes nothing, unless {@code --allowEmpty}. Stories, which live
 * 24 hours, may always be empty.
 */
class EmptyAnswerTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "empty-answer-token";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"jsonl", "parquet"})
  void aTokenThatLostItsPagesDoesNotWipeTheOutput(String format) {
    Path output = tmp.resolve("out");
    Path state = tmp.resolve("state.json");
    JobHarness.Run good = run(emulator(2, 2), output, state, "--format=" + format);
    assertEquals(Main.OK, good.exitCode(), good.err());
    Map<String, String> before = JobHarness.publishedSnapshot(tmp);

    JobHarness.Run lost = run(emulator(0, 0), output, state, "--format=" + format);
    assertEquals(Main.FAILED, lost.exitCode(), lost.err());
    assertTrue(
        lost.err().contains("read no records for users") && lost.err().contains("--allowEmpty"),
        lost.err());
    assertFalse(lost.err().contains("stories"), "stories may be empty: " + lost.err());
    assertEquals(
        before,
        JobHarness.publishedSnapshot(tmp),
        "the output and the state are as the good run left them");

    JobHarness.Run allowed =
        run(emulator(0, 0), output, state, "--format=" + format, "--allowEmpty=true");
    assertEquals(Main.OK, allowed.exitCode(), allowed.err());
  }

  @Test
  void storiesThatExpiredAreReplacedByNoneWithoutComplaint() {
    Path output = tmp.resolve("out");
    assertEquals(Main.OK, run(emulator(1, 2), output, null, "--streams=users,stories").exitCode());
    assertFalse(JobHarness.published(output).get("stories").isEmpty());
    JobHarness.Run noStories = run(emulator(1, 0), output, null, "--streams=users,stories");
    assertEquals(Main.OK, noStories.exitCode(), noStories.err());
    assertTrue(JobHarness.published(output).get("stories").isEmpty());
    assertEquals(1, JobHarness.published(output).get("users").size());
  }

  private static GraphApiEmulator emulator(int accounts, int stories) {
    return GraphApiEmulator.builder()
        .seed(5)
        .accessToken(TOKEN)
        .accounts(accounts)
        .mediaPerAccount(4)
        .storiesPerAccount(stories)
        .now(NOW)
        .build()
        .start();
  }

  private static JobHarness.Run run(
      GraphApiEmulator emulator, Path output, Path state, String... extra) {
    try (emulator) {
      java.util.List<String> args =
          new java.util.ArrayList<>(
              java.util.List.of(
                  "--graphApiUrl=" + emulator.baseUrl(),
                  "--accessToken=" + TOKEN,
                  "--now=" + NOW,
                  "--output=" + output));
      if (state != null) {
        args.add("--state=" + state);
      }
      args.addAll(java.util.List.of(extra));
      return JobHarness.run(args.toArray(String[]::new));
    }
  }
}
