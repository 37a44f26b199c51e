package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental {@code user_insights} end to end: the job through {@link Main} against the emulator
 * over HTTP, run after run with the emulator's clock moved forward in between, reading and writing
 * a real state file (with {@code --metricSet=airbyte}, whose requests these tests count).
 */
class IncrementalStateTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  /**
   * Within the 30 days every metric is kept, so a later full run can serve exactly what earlier
   * runs did.
   */
  static final String RECENT_START = "2026-02-18T00:00:00Z";

  static final Duration DAY = Duration.ofDays(1);
  static final String DEDUPED = "--syncMode=user_insights:incremental_append_deduped";

  @TempDir Path dir;
  Path output;
  Path state;
  GraphApiEmulator emulator;
  String account;

  @BeforeEach
  void startEmulator() {
    emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("token-state")
            .accounts(1)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(1)
            .storiesPerAccount(0)
            .now(NOW)
            .build()
            .start();
    account = emulator.dataset().users().get(0).id();
    output = dir.resolve("out");
    state = dir.resolve("state.json");
  }

  @AfterEach
  void stopEmulator() {
    emulator.close();
  }

  @Test
  void secondRunADayLaterRequestsOnlyFromTheWatermarkMinusTheLookback() throws IOException {
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START));
    Instant watermark = cursorOf(account);
    assertEquals(
        NOW.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(7)),
        watermark,
        "today's point is the latest");

    emulator.clock().advance(DAY);
    emulator.resetStats();
    assertSucceeded(run(NOW.plus(DAY), "--startDate=" + RECENT_START));

    List<RecordedRequest> requests = insightsRequests();
    assertEquals(4, requests.size(), "one request per period group: " + requests);
    for (RecordedRequest request : requests) {
      assertEquals(
          watermark.minus(Duration.ofDays(2)).getEpochSecond(), since(request), request.toString());
      assertEquals(NOW.plus(DAY).getEpochSecond(), until(request), request.toString());
    }
    assertEquals(watermark.plus(DAY), cursorOf(account), "the watermark moved to the new day");
  }

  @Test
  void twoIncrementalRunsTogetherHoldWhatOneFullRunHolds() {
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START));
    emulator.clock().advance(DAY);
    assertSucceeded(run(NOW.plus(DAY), "--startDate=" + RECENT_START));
    Set<String> union =
        JobHarness.records(output.resolve("user_insights")).stream()
            .map(JsonNode::toString)
            .collect(Collectors.toCollection(TreeSet::new));

    Path fullOutput = dir.resolve("full");
    assertSucceeded(
        JobHarness.run(args(NOW.plus(DAY), fullOutput, null, "--startDate=" + RECENT_START)));
    Set<String> full =
        JobHarness.records(fullOutput.resolve("user_insights")).stream()
            .map(JsonNode::toString)
            .collect(Collectors.toCollection(TreeSet::new));

    assertEquals(full, union);
    assertEquals(22, full.size(), "2026-02-18 … 2026-03-11");
  }

  @Test
  void dedupedModeKeepsOneRecordPerAccountAndDateAlsoForTheDaysTheLookbackReRead() {
    String deduped = "--syncMode=user_insights:incremental_append_deduped";
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START, deduped));
    emulator.clock().advance(DAY);
    assertSucceeded(run(NOW.plus(DAY), "--startDate=" + RECENT_START, deduped));
    emulator.clock().advance(DAY);
    assertSucceeded(run(NOW.plus(DAY).plus(DAY), "--startDate=" + RECENT_START, deduped));

    List<ObjectNode> records = JobHarness.records(output.resolve("user_insights"));
    List<String> keys =
        records.stream()
            .map(r -> r.path("business_account_id").asText() + " " + r.path("date").asText())
            .toList();
    assertEquals(
        keys.size(), new TreeSet<>(keys).size(), "no (business_account_id, date) twice: " + keys);
    assertEquals(23, keys.size(), "2026-02-18 … 2026-03-12, every day once");
    assertTrue(
        keys.contains(account + " 2026-03-10T07:00:00+00:00"), "a lookback day is there once");
  }

  @Test
  void incrementalAppendAddsOnlyTheRecordsFromTheWindowStart() {
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START));
    int first = JobHarness.records(output.resolve("user_insights")).size();
    emulator.clock().advance(DAY);
    assertSucceeded(
        run(
            NOW.plus(DAY),
            "--startDate=" + RECENT_START,
            "--syncMode=user_insights:incremental_append"));

    List<ObjectNode> records = JobHarness.records(output.resolve("user_insights"));
    List<String> dates = records.stream().map(r -> r.path("date").asText()).toList();
    assertEquals(first + 4, records.size(), "the three lookback days again, and the new day");
    assertEquals(2, dates.stream().filter("2026-03-08T07:00:00+00:00"::equals).count());
    assertEquals(
        1,
        dates.stream().filter("2026-03-07T07:00:00+00:00"::equals).count(),
        "nothing before the window");
  }

  @Test
  void overwriteReplacesTheStreamAsAWhole() {
    String overwrite = "--syncMode=full_refresh_overwrite";
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START, overwrite));
    assertSucceeded(run(NOW, "--startDate=2026-03-05T00:00:00Z", overwrite));
    List<ObjectNode> records = JobHarness.records(output.resolve("user_insights"));
    assertEquals(6, records.size(), "only the second run's 2026-03-05 … 2026-03-10");
  }

  @Test
  void fullRefreshAppendAddsTheWholeRangeAgain() {
    String append = "--syncMode=full_refresh_append";
    assertSucceeded(run(NOW, "--startDate=2026-03-05T00:00:00Z", append));
    assertSucceeded(run(NOW, "--startDate=2026-03-05T00:00:00Z", append));
    assertEquals(12, JobHarness.records(output.resolve("user_insights")).size(), "6 days, twice");
  }

  @Test
  void incrementalModeForAFullRefreshStreamIsAClearConfigError() {
    JobHarness.Run run =
        run(NOW, "--streams=users,user_insights", "--syncMode=incremental_append_deduped");
    assertEquals(Main.BAD_CONFIG, run.exitCode());
    assertTrue(
        run.err().contains("--syncMode") && run.err().contains("users supports only"), run.err());
    assertFalse(Files.exists(state));
  }

  @Test
  void runThatFailsInTheSinkLeavesTheStateByteIdenticalAndTheRerunCompletesTheData()
      throws IOException {
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START));
    byte[] before = Files.readAllBytes(state);
    Map<String, String> publishedBefore = JobHarness.snapshot(output);

    // A file where the sink stages its output: every stream's write fails, as on a full or
    // read-only disk.
    Files.writeString(output.resolve(".staging"), "not a folder");
    emulator.clock().advance(DAY);
    JobHarness.Run failed = run(NOW.plus(DAY), "--startDate=" + RECENT_START);
    assertEquals(Main.FAILED, failed.exitCode(), failed.out());
    assertTrue(failed.err().contains("run failed"), failed.err());
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(state));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(state)), "state byte-identical");
    Map<String, String> publishedAfter = JobHarness.snapshot(output);
    publishedAfter.remove(".staging");
    publishedBefore.remove(".staging");
    assertEquals(publishedBefore, publishedAfter, "nothing was published");
    assertFalse(Files.exists(Path.of(state + ".lock")), "the failed run gave the lock back");

    Files.delete(output.resolve(".staging"));
    assertSucceeded(run(NOW.plus(DAY), "--startDate=" + RECENT_START));
    Set<String> dates =
        JobHarness.records(output.resolve("user_insights")).stream()
            .map(r -> r.path("date").asText())
            .collect(Collectors.toSet());
    assertEquals(daysBetween(LocalDate.parse("2026-02-18"), LocalDate.parse("2026-03-11")), dates);
    assertEquals(Instant.parse("2026-03-11T07:00:00Z"), cursorOf(account));
  }

  @Test
  void runAfterFortyFiveDaysPausedCatchesUpWhatTheApiServesAndLogsTheLostDaysOnce()
      throws IOException {
    assertSucceeded(run(NOW, "--startDate=" + RECENT_START, DEDUPED));
    Instant watermark = cursorOf(account); // 2026-03-10T07:00
    Instant later = NOW.plus(Duration.ofDays(45)); // 2026-04-24T12:00
    emulator.clock().set(later);
    emulator.resetStats();

    String log =
        capturingStderr(() -> assertSucceeded(run(later, "--startDate=" + RECENT_START, DEDUPED)));

    // The first whole hour at least an hour after now - 30 days: a margin for a server clock ahead
    // of ours.
    Instant thirtyDayFloor =
        later.minus(Duration.ofDays(30)).plus(Duration.ofHours(1)); // 2026-03-25T13:00
    List<RecordedRequest> requests = insightsRequests();
    assertEquals(
        0, emulator.stats().errorsByHttpStatus().size(), "no request hit a retention error");
    for (RecordedRequest request : requests) {
      assertTrue(
          until(request) - since(request) <= Duration.ofDays(30).toSeconds(), request.toString());
      boolean thirtyDayMetric =
          request.params().get("metric").contains("follower_count")
              || request.params().get("metric").contains("online_followers");
      assertTrue(
          since(request)
              >= (thirtyDayMetric ? thirtyDayFloor : watermark.minus(Duration.ofDays(2)))
                  .getEpochSecond(),
          request.toString());
    }
    assertEquals(
        watermark.minus(Duration.ofDays(2)).getEpochSecond(),
        requests.stream()
            .filter(r -> r.params().get("period").equals("week"))
            .mapToLong(this::since)
            .min()
            .orElseThrow(),
        "reach (kept 90 days) resumes at the watermark minus the lookback");
    assertEquals(
        thirtyDayFloor.getEpochSecond(),
        requests.stream()
            .filter(r -> r.params().get("period").equals("lifetime"))
            .mapToLong(this::since)
            .min()
            .orElseThrow(),
        "online_followers from its 30-day limit");

    Map<String, ObjectNode> byDate =
        JobHarness.records(output.resolve("user_insights")).stream()
            .collect(Collectors.toMap(r -> r.path("date").asText().substring(0, 10), r -> r));
    for (LocalDate day = LocalDate.parse("2026-03-08");
        !day.isAfter(LocalDate.parse("2026-04-24"));
        day = day.plusDays(1)) {
      ObjectNode record = byDate.get(day.toString());
      assertTrue(
          record.has("reach") && record.has("reach_week") && record.has("reach_days_28"),
          day.toString());
      // 03-08 … 03-10 were re-read for reach only; they keep the follower_count and
      // online_followers of run 1.
      boolean lost =
          day.isAfter(LocalDate.parse("2026-03-10")) && day.isBefore(LocalDate.parse("2026-03-26"));
      assertEquals(!lost, record.has("follower_count"), day + ": " + record);
      assertEquals(!lost, record.has("online_followers"), day + ": " + record);
    }

    List<String> notices = log.lines().filter(l -> l.contains("no longer serves")).toList();
    assertEquals(1, notices.size(), log);
    assertTrue(
        notices
            .get(0)
            .contains(
                account
                    + " [follower_count 2026-03-11..2026-03-25, online_followers "
                    + "2026-03-11..2026-03-25]"),
        notices.get(0));
  }

  @Test
  void airbyteExportedPerPartitionStateIsAcceptedAndTheFirstWindowStartsFromIt()
      throws IOException {
    Files.writeString(
        state,
        "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"user_insights\"},"
            + "\"stream_state\":{\"use_global_cursor\":false,\"states\":[{\"partition\":{\"business_account_id\":\""
            + account
            + "\"},\"cursor\":{\"date\":\"2026-03-01T07:00:00+00:00\"}}],"
            + "\"state\":{\"date\":\"2026-03-01T07:00:00+00:00\"},\"lookback_window\":4,\"parent_state\":{}}}},"
            + "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"media\"},\"stream_state\":{}}}]");
    assertSucceeded(run(NOW));
    assertEquals(
        Instant.parse("2026-02-27T07:00:00Z").getEpochSecond(),
        insightsRequests().stream().mapToLong(this::since).min().orElseThrow());
    JsonNode written = JobHarness.JSON.readTree(state.toFile());
    assertEquals(
        "media",
        written.get(0).path("stream").path("stream_descriptor").path("name").asText(),
        "other streams' state is kept");
    assertEquals(
        "2026-03-10T07:00:00+00:00",
        written
            .get(1)
            .path("stream")
            .path("stream_state")
            .path("states")
            .get(0)
            .path("cursor")
            .path("date")
            .asText());
  }

  @Test
  void airbyteLegacyStateIsAcceptedAndTheFirstWindowStartsFromIt() throws IOException {
    Files.writeString(state, "{\"" + account + "\": {\"date\": \"2026-03-05T07:00:00+00:00\"}}");
    assertSucceeded(run(NOW));
    assertEquals(
        Instant.parse("2026-03-03T07:00:00Z").getEpochSecond(),
        insightsRequests().stream().mapToLong(this::since).min().orElseThrow());
    assertEquals(
        Instant.parse("2026-03-10T07:00:00Z"),
        cursorOf(account),
        "rewritten as Airbyte's per-stream state");
  }

  @Test
  void ninetyDaysOfUserInsightsForOneAccountCostAtMostTwelveCalls() {
    assertSucceeded(run(NOW)); // default start: two years ago, so everything the API keeps
    assertEquals(90, JobHarness.records(output.resolve("user_insights")).size());
    long calls = emulator.stats().calls("user/insights");
    assertTrue(calls <= 4 * 3, "calls: " + calls + " " + emulator.stats().toJson());
    assertEquals(
        0, emulator.stats().errorsByHttpStatus().size(), emulator.stats().toJson().toString());
  }

  @Test
  void secondRunAgainstTheSameStateWhileOneIsRunningIsRefused() throws Exception {
    emulator.close();
    emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("token-state")
            .accounts(1)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(1)
            .storiesPerAccount(0)
            .now(NOW)
            .latency(Duration.ofMillis(1500))
            .build()
            .start();
    CompletableFuture<JobHarness.Run> first = CompletableFuture.supplyAsync(() -> run(NOW));
    Path lock = Path.of(state + ".lock");
    for (int i = 0; i < 200 && !Files.exists(lock) && !first.isDone(); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(lock), "the first run holds the lock");

    JobHarness.Run second = JobHarness.run(args(NOW, dir.resolve("other"), state));
    assertEquals(Main.BAD_CONFIG, second.exitCode(), second.out());
    assertTrue(second.err().contains("another run holds the state lock"), second.err());

    assertSucceeded(first.get());
    assertFalse(Files.exists(lock), "released at the end");
    assertTrue(Files.exists(state), "the first run wrote its state");
  }

  @Test
  void malformedStateFileIsAConfigErrorAndIsNeverOverwritten() throws IOException {
    String broken =
        "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"user_insights\"},"
            + "\"stream_state\":{\"states\":[{\"partition\":{\"business_account_id\":\""
            + "1\"},\"cursor\":{\"date\":\"yesterday\"}}]}}}]";
    Files.writeString(state, broken);
    JobHarness.Run run = run(NOW);
    assertEquals(Main.BAD_CONFIG, run.exitCode());
    assertTrue(run.err().contains("malformed") && run.err().contains("yesterday"), run.err());
    assertEquals(broken, Files.readString(state));
    assertEquals(0, emulator.stats().calls("user/insights"), "nothing was fetched");
    assertFalse(Files.exists(Path.of(state + ".lock")));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private JobHarness.Run run(Instant now, String... extra) {
    return JobHarness.run(args(now, output, state, extra));
  }

  private String[] args(Instant now, Path out, Path statePath, String... extra) {
    // Airbyte's set: these tests count the time-series windows; what the current set adds per day
    // is in
    // CurrentMetricsTest, and the windows are the same in both sets.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=token-state",
                "--now=" + now,
                "--output=" + out,
                "--metricSet=airbyte"));
    if (java.util.Arrays.stream(extra).noneMatch(a -> a.startsWith("--streams="))) {
      args.add("--streams=user_insights");
    }
    if (statePath != null) {
      args.add("--state=" + statePath);
    }
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static void assertSucceeded(JobHarness.Run run) {
    assertEquals(Main.OK, run.exitCode(), run.err() + run.out());
  }

  private Instant cursorOf(String businessAccountId) throws IOException {
    for (JsonNode message : JobHarness.JSON.readTree(state.toFile())) {
      for (JsonNode partition : message.path("stream").path("stream_state").path("states")) {
        if (partition
            .path("partition")
            .path("business_account_id")
            .asText()
            .equals(businessAccountId)) {
          return Instant.parse(
              partition.path("cursor").path("date").asText().replace("+00:00", "Z"));
        }
      }
    }
    throw new AssertionError(
        "no cursor for " + businessAccountId + " in " + Files.readString(state));
  }

  private List<RecordedRequest> insightsRequests() {
    return emulator.requests().stream()
        .filter(r -> r.path().endsWith("/insights") && r.params().containsKey("since"))
        .toList();
  }

  private long since(RecordedRequest request) {
    return Long.parseLong(request.params().get("since"));
  }

  private long until(RecordedRequest request) {
    return Long.parseLong(request.params().get("until"));
  }

  private static Set<String> daysBetween(LocalDate first, LocalDate last) {
    Set<String> dates = new TreeSet<>();
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      dates.add(
          day.atTime(7, 0)
              .atOffset(ZoneOffset.UTC)
              .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx")));
    }
    return dates;
  }

  private static String capturingStderr(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
