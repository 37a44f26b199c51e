package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version a run uses: the start line names the one requested (v25.0 by default), and when Meta
 * serves an expired version's calls with a newer one (as Meta's versioning guide says), one warning
 * names the version the data came from.
 */
class ApiVersionTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path tmp;

  @Test
  void theDefaultVersionIsRequestedAndNamedWithoutAWarning() {
    try (GraphApiEmulator emulator = emulator()) {
      Logged run = run(emulator, "--output=" + tmp.resolve("default"));
      assertEquals(Main.OK, run.run.exitCode(), run.run.err());
      assertTrue(
          run.run
              .out()
              .lines()
              .findFirst()
              .orElseThrow()
              .endsWith("; Graph API v25.0, metric set current"),
          run.run.out());
      assertFalse(run.log.contains("Meta serves Graph API"), run.log);
    }
  }

  @Test
  void anExpiredVersionIsNamedWithTheVersionMetaServedInsteadOncePerRun() {
    try (GraphApiEmulator emulator = emulator()) {
      // the second run is in the same JVM: it is warned too
      for (String output : List.of("old", "old-again")) {
        Logged run = run(emulator, "--output=" + tmp.resolve(output), "--apiVersion=v21.0");
        assertEquals(Main.OK, run.run.exitCode(), run.run.err());
        assertTrue(run.run.out().contains("Graph API v21.0"), run.run.out());
        assertEquals(
            1,
            run.log
                .lines()
                .filter(
                    l ->
                        l.contains("WARN")
                            && l.contains("Meta serves Graph API v22.0 to requests for v21.0"))
                .count(),
            output + ": " + run.log);
      }
    }
  }

  private static GraphApiEmulator emulator() {
    return GraphApiEmulator.builder()
        .seed(3)
        .accessToken("token-version")
        .accounts(1)
        .mediaPerAccount(3)
        .now(NOW)
        .build()
        .start();
  }

  private record Logged(JobHarness.Run run, String log) {}

  private static Logged run(GraphApiEmulator emulator, String... args) {
    PrintStream stderr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 4];
      all[0] = "--graphApiUrl=" + emulator.baseUrl();
      all[1] = "--accessToken=token-version";
      all[2] = "--now=" + NOW;
      all[3] = "--streams=users,media";
      System.arraycopy(args, 0, all, 4, args.length);
      return new Logged(JobHarness.run(all), log.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(stderr);
    }
  }
}
