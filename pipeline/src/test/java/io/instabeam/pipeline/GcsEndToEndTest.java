package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output, state and locks on {@code gs://}, through {@link Main}, against a real Cloud Storage
 * emulator (fake-gcs-server, see {@link GcsEmulator}): what a run publishes there is what it
 * publishes on a local disk.
 */
class GcsEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "token-gcs";

  @TempDir Path dir;
  GcsEmulator gcs;
  String bucket;
  GraphApiEmulator emulator;

  @BeforeEach
  void start() {
    gcs = GcsEmulator.require();
    bucket = gcs.newBucket("instabeam-e2e");
    emulator =
        GraphApiEmulator.builder()
            .seed(9)
            .accessToken(TOKEN)
            .accounts(1)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(4)
            .storiesPerAccount(1)
            .now(NOW)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void aRunPublishesItsOutputAndStateOnGcsAsOnALocalDiskAndReleasesItsLocks() throws IOException {
    JobHarness.Run local =
        JobHarness.run(args(dir.resolve("out").toString(), dir.resolve("state.json").toString()));
    assertEquals(Main.OK, local.exitCode(), local.err());

    JobHarness.Run run =
        JobHarness.run(args("gs://" + bucket + "/out", "gs://" + bucket + "/state/state.json"));

    assertEquals(Main.OK, run.exitCode(), run.err());
    Map<String, String> published = gcs.snapshot(bucket, "out/");
    assertEquals(
        recordsByStream(JobHarness.snapshot(dir.resolve("out"))), recordsByStream(published));
    assertEquals(Files.readString(dir.resolve("state.json")), gcs.get(bucket, "state/state.json"));
    assertFalse(
        published.containsKey(".instabeam.lock"), "output lock released: " + published.keySet());
    assertTrue(
        published.keySet().stream().noneMatch(name -> name.startsWith(".staging/")),
        published.keySet().toString());
    assertEquals(
        Map.of("state.json", gcs.get(bucket, "state/state.json")),
        gcs.snapshot(bucket, "state/"),
        "no lock or temporary state left");

    JobHarness.Run next =
        JobHarness.run(args("gs://" + bucket + "/out", "gs://" + bucket + "/state/state.json"));
    assertEquals(Main.OK, next.exitCode(), next.err());
    assertTrue(next.out().contains(", state gs://" + bucket + "/state/state.json"), next.out());
    assertEquals(
        Files.readString(dir.resolve("state.json")),
        gcs.get(bucket, "state/state.json"),
        "the next run read the state from gs:// and moved no watermark past today");
  }

  @Test
  void aLiveLockOnGcsIsRefusedAndOnceItsLeaseIsOverItIsTakenOverAndDeadRunsStagingRemoved() {
    Instant live = Instant.now().plus(Duration.ofMinutes(2));
    String liveLock =
        CrashRecoveryTest.lockLine("run-20260310T115900-other", "worker-7", 4242, live);
    gcs.put(bucket, "out/.instabeam.lock", liveLock);

    JobHarness.Run refused = JobHarness.run(args("gs://" + bucket + "/out", null));

    assertEquals(Main.BAD_CONFIG, refused.exitCode(), refused.out());
    assertTrue(
        refused
            .err()
            .startsWith(
                "instabeam: another run holds the output lock gs://"
                    + bucket
                    + "/out/.instabeam.lock (run run-20260310T115900-other on host worker-7, pid 4242"),
        refused.err());
    assertEquals(liveLock, gcs.get(bucket, "out/.instabeam.lock"), "left as it was");

    Instant expired = Instant.now().minus(Duration.ofMinutes(1));
    gcs.put(
        bucket,
        "out/.instabeam.lock",
        CrashRecoveryTest.lockLine("run-20260310T115900-other", "worker-7", 4242, expired));
    gcs.put(
        bucket,
        "out/.staging/run-20260310T115900-other/parts/media/part-0.jsonl",
        "{\"id\":\"half\"}\n");
    gcs.put(bucket, "out/.staging/run-20260310T115800-else/media/part-0.jsonl", "{}\n");

    JobHarness.Run run = JobHarness.run(args("gs://" + bucket + "/out", null));

    assertEquals(Main.OK, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .contains(
                "instabeam: took over the output lock gs://"
                    + bucket
                    + "/out/.instabeam.lock from "
                    + "run run-20260310T115900-other (host worker-7, pid 4242, started 2026-03-10T11:59:00Z): its lease expired "
                    + "at "
                    + expired),
        run.out());
    assertEquals(
        Map.of(),
        gcs.snapshot(bucket, "out/."),
        "the dead runs' staging is removed, the lock released");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private String[] args(String output, String state) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=" + TOKEN,
                "--now=" + NOW,
                "--output=" + output,
                "--streams=users,media,stories,user_insights",
                "--startDate=2026-03-01T00:00:00Z"));
    if (state != null) {
      args.add("--state=" + state);
    }
    args.addAll(gcs.jobOptions());
    return args.toArray(String[]::new);
  }

  /** The records of each stream ({@code S/…jsonl}), as a sorted set: file names hold the run id. */
  private static Map<String, TreeSet<String>> recordsByStream(Map<String, String> files) {
    Map<String, TreeSet<String>> streams = new TreeMap<>();
    files.forEach(
        (name, text) -> {
          if (!name.startsWith(".") && name.endsWith(".jsonl")) {
            streams
                .computeIfAbsent(name.substring(0, name.indexOf('/')), s -> new TreeSet<>())
                .addAll(
                    text.lines()
                        .filter(line -> !line.isBlank())
                        .map(GcsEndToEndTest::canonical)
                        .toList());
          }
        });
    return streams;
  }

  private static String canonical(String line) {
    try {
      JsonNode record = JobHarness.JSON.readTree(line);
      return record.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
