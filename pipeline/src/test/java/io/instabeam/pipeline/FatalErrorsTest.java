package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors no retry can fix end the run at once: one line on stderr that tells the operator what to
 * do, a non-zero exit, nothing published, and never the token in anything the run printed or
 * logged.
 */
class FatalErrorsTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "EAAG-secret-token-4711";

  @TempDir Path output;

  @Test
  void anExpiredTokenEndsTheRunAskingForANewToken() {
    Failure failure = runAgainst(GraphApiEmulator::expireToken);
    failure.assertOneClearLine("access token is invalid or has expired");
  }

  @Test
  void aRevokedInstagramBasicPermissionEndsTheRunNamingIt() {
    Failure failure = runAgainst(emulator -> emulator.revokePermission("instagram_basic"));
    failure.assertOneClearLine("grant instagram_basic");
  }

  @Test
  void aRevokedPagesShowListPermissionEndsTheRunNamingIt() {
    Failure failure = runAgainst(emulator -> emulator.revokePermission("pages_show_list"));
    failure.assertOneClearLine("grant pages_show_list");
  }

  @Test
  void anAccountTheTokenCannotReachEndsTheRunNamingIt() {
    Failure failure = runAgainst(emulator -> {}, "--accounts=17841400000000000");
    failure.assertOneClearLine("--accounts lists 17841400000000000, which this token cannot read");
  }

  @Test
  void aFailedRunLeavesThePreviousRunsPublishedFilesUntouched() {
    try (GraphApiEmulator emulator = emulator()) {
      assertEquals(0, job(emulator).exitCode());
      Map<String, String> before = JobHarness.snapshot(output);
      assertFalse(before.isEmpty());
      emulator.expireToken();
      assertNotEquals(0, job(emulator).exitCode());
      assertEquals(before, JobHarness.snapshot(output));
    }
  }

  GraphApiEmulator emulator() {
    return GraphApiEmulator.builder()
        .seed(3)
        .accessToken(TOKEN)
        .accounts(1)
        .pagesWithoutInstagram(0)
        .mediaPerAccount(10)
        .storiesPerAccount(2)
        .now(NOW)
        .build()
        .start();
  }

  JobHarness.Run job(GraphApiEmulator emulator, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "--graphApiUrl=" + emulator.baseUrl();
    args[1] = "--accessToken=" + TOKEN;
    args[2] = "--now=" + NOW;
    args[3] = "--output=" + output;
    System.arraycopy(extra, 0, args, 4, extra.length);
    return JobHarness.run(args);
  }

  /**
   * Runs the job after {@code breakIt}, capturing the process's stdout and stderr too (library logs
   * go there).
   */
  Failure runAgainst(Consumer<GraphApiEmulator> breakIt, String... extra) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    try (GraphApiEmulator emulator = emulator()) {
      breakIt.accept(emulator);
      PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
      System.setOut(capture);
      System.setErr(capture);
      String[] args = java.util.Arrays.copyOf(extra, extra.length + 2);
      args[extra.length] = "--maxRetrySeconds=30";
      args[extra.length + 1] = "--retryBackoffMillis=10";
      JobHarness.Run run = job(emulator, args);
      return new Failure(run, logs.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  final class Failure {
    final JobHarness.Run run;
    final String logs;

    Failure(JobHarness.Run run, String logs) {
      this.run = run;
      this.logs = logs;
    }

    void assertOneClearLine(String expected) {
      assertEquals(Main.FAILED, run.exitCode(), run.out() + run.err());
      String[] lines = run.err().strip().split("\n");
      assertEquals(1, lines.length, run.err());
      assertTrue(lines[0].startsWith("instabeam: run failed: "), lines[0]);
      assertTrue(lines[0].contains(expected), lines[0]);
      assertFalse(lines[0].contains("Exception"), lines[0]);
      assertEquals(Map.of(), JobHarness.published(output), "no stream folder is published");
      for (String printed : new String[] {run.out(), run.err(), logs}) {
        assertFalse(printed.contains(TOKEN), "the token was printed: " + printed);
      }
    }
  }
}
