package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.instabeam.emulator.Faults;
import io.instabeam.emulator.GraphApiEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access token never shows: not in stdout, stderr or the logs, not in outputs, state or the run
 * summary, not in the serialized pipeline options — in a successful run and in failing ones.
 */
class SecretsTest {
  static final String TOKEN = "EAAGsecret0123456789tokenvalue";
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path tmp;

  @Test
  void successfulRunKeepsTheTokenOutOfEverythingItWrites() throws IOException {
    try (GraphApiEmulator emulator = emulator(TOKEN, Faults.none())) {
      Captured run = captured(() -> JobHarness.run(args(emulator, TOKEN)));
      assertEquals(0, run.result.exitCode(), run.result.err());
      assertNoToken(run);
      assertTrue(
          Files.exists(tmp.resolve("state.json")) && Files.exists(tmp.resolve("summary.json")));
    }
  }

  @Test
  void runWithAWrongTokenFailsWithoutShowingIt() throws IOException {
    try (GraphApiEmulator emulator = emulator("the-right-token", Faults.none())) {
      Captured run = captured(() -> JobHarness.run(args(emulator, TOKEN)));
      assertEquals(Main.FAILED, run.result.exitCode());
      assertTrue(
          run.result.err().contains("190") && run.result.err().contains("access token"),
          run.result.err());
      assertNoToken(run);
    }
  }

  @Test
  void runThroughServerErrorsKeepsTheTokenOutOfRetryLogs() throws IOException {
    try (GraphApiEmulator emulator =
        emulator(TOKEN, Faults.none().withHttp5xxRate(0.2).withDropConnectionRate(0.05))) {
      Captured run = captured(() -> JobHarness.run(args(emulator, TOKEN)));
      assertEquals(0, run.result.exitCode(), run.result.err());
      assertNoToken(run);
    }
  }

  @Test
  void tokenFromTheEnvironmentOrAFileWorksAndStaysHidden() throws IOException {
    try (GraphApiEmulator emulator = emulator(TOKEN, Faults.none())) {
      Path file = Files.writeString(tmp.resolve("token.txt"), TOKEN + "\n");
      Captured fromFile =
          captured(
              () ->
                  JobHarness.run(
                      "--graphApiUrl=" + emulator.baseUrl(),
                      "--now=" + NOW,
                      "--streams=users",
                      "--output=" + tmp.resolve("out"),
                      "--accessTokenFile=" + file));
      assertEquals(0, fromFile.result.exitCode(), fromFile.result.err());
      Captured fromEnv =
          captured(
              () ->
                  JobHarness.run(
                      Map.of("INSTAGRAM_ACCESS_TOKEN", TOKEN),
                      "--graphApiUrl=" + emulator.baseUrl(),
                      "--now=" + NOW,
                      "--streams=users",
                      "--output=" + tmp.resolve("out")));
      assertEquals(0, fromEnv.result.exitCode(), fromEnv.result.err());
      assertNoToken(fromEnv);
    }
  }

  /**
   * The usual way to debug a connector is to turn google-http-client's wire logging up to ALL: it
   * then prints the Authorization header, a curl line per request, and the response bodies with
   * Meta's paging links (which carry access_token). None of it may show the token.
   */
  @Test
  void httpClientWireLoggingAtLevelAllShowsNoToken() throws IOException {
    Logger wire = Logger.getLogger("com.google.api.client.http");
    Level before = wire.getLevel();
    try (GraphApiEmulator emulator = emulator(TOKEN, Faults.none())) {
      Captured run =
          captured(
              () -> {
                ConsoleHandler console =
                    new ConsoleHandler(); // writes to the System.err of its creation: the captured
                // one
                console.setLevel(Level.ALL);
                wire.setLevel(Level.ALL);
                wire.addHandler(console);
                try {
                  return JobHarness.run(args(emulator, TOKEN));
                } finally {
                  wire.removeHandler(console);
                  console.flush();
                }
              });
      assertEquals(0, run.result.exitCode(), run.result.err());
      assertTrue(
          run.logs.contains("Authorization: Bearer ***") && run.logs.contains("curl"),
          "the wire log is on, with the header masked: " + run.logs.lines().limit(20).toList());
      assertTrue(run.logs.contains("access_token=***"), "paging links are logged, masked");
      assertNoToken(run);
    } finally {
      wire.setLevel(before);
    }
  }

  @Test
  void serializedPipelineOptionsHoldNoToken() throws IOException {
    InstabeamOptions options =
        Main.parse(new String[] {"--accessToken=" + TOKEN, "--streams=users"});
    String json = new ObjectMapper().writeValueAsString(options);
    assertTrue(json.contains("graphApiUrl") || json.contains("options"), json);
    assertFalse(json.contains(TOKEN), json);
    assertFalse(options.toString().contains(TOKEN));
  }

  private String[] args(GraphApiEmulator emulator, String token) {
    return new String[] {
      "--graphApiUrl=" + emulator.baseUrl(),
      "--accessToken=" + token,
      "--now=" + NOW,
      "--output=" + tmp.resolve("out"),
      "--state=" + tmp.resolve("state.json"),
      "--summaryFile=" + tmp.resolve("summary.json"),
      "--retryBackoffMillis=10",
      "--streams=Api,users,user_insights,media,media_insights,stories,story_insights,user_lifetime_insights"
    };
  }

  private static GraphApiEmulator emulator(String token, Faults faults) {
    return GraphApiEmulator.builder()
        .seed(11)
        .accessToken(token)
        .accounts(1)
        .mediaPerAccount(20)
        .storiesPerAccount(2)
        .now(NOW)
        .faults(faults)
        .build()
        .start();
  }

  private void assertNoToken(Captured run) {
    assertFalse(run.result.out().contains(TOKEN), "stdout shows the token");
    assertFalse(run.result.err().contains(TOKEN), "stderr shows the token");
    assertFalse(run.logs.contains(TOKEN), "the logs show the token");
    JobHarness.snapshot(tmp)
        .forEach(
            (file, content) -> {
              if (!file.equals("token.txt")) {
                assertFalse(content.contains(TOKEN), file + " holds the token");
              }
            });
  }

  record Captured(JobHarness.Run result, String logs) {}

  /** Runs with System.err redirected, where the job's logger writes. */
  private static Captured captured(Supplier<JobHarness.Run> job) {
    PrintStream original = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      JobHarness.Run result = job.get();
      return new Captured(result, logs.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
      System.err.print(logs.toString(StandardCharsets.UTF_8));
    }
  }
}
