package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.Dataset;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.Faults;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import io.instabeam.emulator.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or odd Graph API answers, the whole job through {@link Main} against the emulator:
 * malformed pages, looping cursors, items listed twice, items without a usable id or timestamp,
 * mixed-up batch answers, answers that trickle, waits Meta asks for, and a server that counts its
 * 30 days from now. Each either loses nothing (the output is the fault-free run's, record for
 * record) or fails the run at once with one clear line. Fault decisions are drawn from a fresh seed
 * per run ({@code -Dinstabeam.faultSeed=N} replays one, see {@link FaultSeed}), printed, and named
 * in every assertion message.
 */
class HostileAnswersTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final long DATA_SEED = 29;
  static final String TOKEN = "token-hostile";

  /**
   * Stories are read as one range: 150 of them make two pages of the edge, whatever the wall clock
   * says.
   */
  static final int STORIES = 150;

  static final String ALL_STREAMS =
      "--streams=Api,users,user_lifetime_insights,user_insights,media,media_insights,stories,story_insights";

  @TempDir static Path root;
  static Map<String, Map<JsonNode, Long>> faultFree;

  @BeforeAll
  static void runWithoutFaults() {
    Job job = new Job(Faults.none()).run(root.resolve("fault-free"), ALL_STREAMS);
    job.assertSucceeded();
    faultFree = job.published();
    assertEquals(8, faultFree.size(), "every stream is published: " + faultFree.keySet());
  }

  // ---------------------------------------------------------------- malformed answers

  @Test
  void pagesWithoutTheirDataListAreRetriedAndTheOutputIsUnchanged() {
    Job job =
        new Job(Faults.builder().malformedPageRate(0.3).build())
            .run(root.resolve("malformed"), ALL_STREAMS);
    job.assertSucceeded();
    job.assertServedAnyOf("page_without_data", "page_data_not_a_list");
    job.assertSameOutputAsFaultFree();
  }

  @Test
  void pagesThatKeepComingWithoutDataFailTheRunNamingTheRequestAndKeepThePublishedOutput() {
    Path output = root.resolve("malformed-for-good");
    new Job(Faults.none()).run(output, ALL_STREAMS).assertSucceeded();
    Map<String, String> before = JobHarness.snapshot(output);
    Job job =
        new Job(Faults.builder().malformedPageRate(1.0).maxConsecutiveFaults(100).build())
            .run(output, ALL_STREAMS, "--maxAttempts=3");
    job.assertFailedWith("GET me/accounts");
    job.assertFailedWith("\"data\"");
    assertEquals(
        before,
        JobHarness.snapshot(output),
        job.describe() + "the published output of the good run is " + "untouched");
  }

  // ---------------------------------------------------------------- paging

  @Test
  void aPageThatPointsToItselfEndsTheRunInsteadOfBeingReadAgain() {
    Job job =
        new Job(Faults.builder().selfPointingPages(true).build())
            .run(root.resolve("self-pointing"), "--streams=stories");
    job.assertServed("self_pointing_page");
    job.assertFailedWith("Meta returned the same page cursor twice for GET ");
    job.assertFailedWith("/stories");
  }

  @Test
  void anItemListedAgainOnTheNextPageIsWrittenOnce() {
    Job job =
        new Job(Faults.builder().repeatedItemsAcrossPages(true).build())
            .run(root.resolve("repeated"), ALL_STREAMS);
    job.assertSucceeded();
    job.assertServed("repeated_item");
    job.assertSameOutputAsFaultFree();
  }

  @Test
  void anAccountListedAgainOnTheNextPageOfMeAccountsIsReadOnce() {
    // 102 pages: me/accounts answers two pages of 100, and the second starts again with the 100th.
    Job job =
        new Job(
                Faults.builder().repeatedItemsAcrossPages(true).build(),
                emulator ->
                    emulator
                        .accounts(102)
                        .pagesWithoutInstagram(0)
                        .mediaPerAccount(1)
                        .storiesPerAccount(0))
            .run(root.resolve("repeated-accounts"), "--streams=Api");
    job.assertSucceeded();
    job.assertServed("repeated_item");
    List<ObjectNode> api = JobHarness.records(job.output.resolve("Api"));
    assertEquals(102, api.size(), job.describe());
    assertEquals(
        102, api.stream().map(r -> r.path("id").asText()).distinct().count(), job.describe());
  }

  // ---------------------------------------------------------------- items

  @Test
  void
      itemsWithoutAUsableIdOrTimestampAreSkippedCountedAndWarnedAboutOnceAndNumericIdsWrittenAsText() {
    Job job =
        new Job(Faults.builder().oddItems(true).build())
            .run(root.resolve("odd-items"), ALL_STREAMS);
    job.assertSucceeded();
    job.assertServed("odd_item_null_id", "odd_item_numeric_id", "odd_item_bad_timestamp");
    for (String line :
        List.of(
            "media-no-id=2",
            "media-unreadable-timestamp=2",
            "stories-no-id=2",
            "stories-unreadable-timestamp=2")) {
      assertTrue(job.run.out().contains(line), job.describe() + job.run.out());
    }
    assertEquals(
        1,
        occurrences(job.logs, "Skipping a media item that has no usable id"),
        job.describe() + job.logs);
    assertEquals(
        1,
        occurrences(job.logs, "Skipping a media item that has no readable timestamp"),
        job.describe() + job.logs);
    for (RecordedRequest request : job.requests) {
      assertFalse(
          request.path().contains("null"),
          job.describe() + "a request for the object null: " + request);
    }

    // Everything else is the fault-free run's: the odd items are left out, the numeric id is
    // written as text.
    Set<String> unusable = job.oddItemIds(1, 3);
    Map<String, Map<JsonNode, Long>> expected = new TreeMap<>(faultFree);
    for (String stream : List.of("media", "media_insights", "stories", "story_insights")) {
      expected.put(
          stream,
          faultFree.get(stream).entrySet().stream()
              .filter(e -> !unusable.contains(e.getKey().path("id").asText()))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
    assertEquals(
        faultFree.get("media").size() - 4,
        expected.get("media").size(),
        job.describe() + "two odd media per account");
    assertEquals(expected, job.published(), job.describe());
    Set<JsonNode> items = new java.util.HashSet<>(job.published().get("media").keySet());
    items.addAll(job.published().get("stories").keySet());
    for (String numeric : job.oddItemIds(2)) {
      assertTrue(
          items.stream()
              .anyMatch(r -> r.path("id").isTextual() && r.path("id").asText().equals(numeric)),
          job.describe() + numeric + " is written as a string");
    }
  }

  @Test
  void aLaterRunInTheSameJvmWarnsAboutItsOwnSkippedItemsToo() {
    for (String run : List.of("odd-items-first", "odd-items-next")) {
      Job job =
          new Job(Faults.builder().oddItems(true).build())
              .run(root.resolve(run), "--streams=media");
      job.assertSucceeded();
      assertEquals(
          1,
          occurrences(job.logs, "Skipping a media item that has no usable id"),
          job.describe() + run + ": " + job.logs);
    }
  }

  // ---------------------------------------------------------------- batches

  @Test
  void batchAnswersSwappedBetweenTwoPostsAreRetriedNeverWrittenOnTheWrongPost() {
    // Each pair of sub-requests is swapped once: the retry of the pair gets the right answers.
    Job job =
        new Job(Faults.builder().swappedBatchAnswersRate(1.0).maxConsecutiveFaults(1).build())
            .run(root.resolve("swapped"), ALL_STREAMS);
    job.assertSucceeded();
    job.assertServed("swapped_batch_answers");
    job.assertSameOutputAsFaultFree();
  }

  @Test
  void batchAnswersSwappedAgainOnTheRetryFailTheRun() {
    Job job =
        new Job(Faults.builder().swappedBatchAnswersRate(1.0).maxConsecutiveFaults(10).build())
            .run(root.resolve("swapped-for-good"), "--streams=media,media_insights");
    job.assertServed("swapped_batch_answers");
    job.assertFailedWith("the answer holds insights of ");
    job.assertFailedWith("/insights");
  }

  // ---------------------------------------------------------------- deadlines and waits

  @Test
  void answersThatStallOrTrickleAreCutAtTheRequestDeadlineAndRetried() {
    Job job =
        new Job(
                Faults.builder()
                    .slowHeadersRate(0.25)
                    .slowHeadersDelay(Duration.ofSeconds(3))
                    .trickledBodyRate(0.25)
                    .trickleByteDelay(Duration.ofMillis(50))
                    .build())
            .run(root.resolve("slow"), ALL_STREAMS, "--requestTimeoutSeconds=1");
    job.assertSucceeded();
    job.assertServed("slow_headers");
    job.assertServed("trickled_body");
    // The fault-free run retries nothing: every retry here is a stalled or trickled answer cut at
    // its deadline.
    assertTrue(job.retries() > 0, job.describe() + job.run.out());
    job.assertSameOutputAsFaultFree();
  }

  @Test
  @Timeout(300) // before the waits were bounded, this run slept for an hour
  void aRegainTimeBeyondMaxRetrySecondsFailsTheRunAtOnceSayingUntilWhen() {
    Job job =
        new Job(
                Faults.builder().regainAccessMinutes(1440).build(),
                emulator -> emulator.callsPerWindow(1))
            .run(root.resolve("regain"), "--streams=users,media", "--maxRetrySeconds=30");
    job.assertFailedWith("Meta asks to wait 1440 minutes (until ");
    job.assertFailedWith("for account ");
    job.assertFailedWith("that exceeds --maxRetrySeconds=30: run later");
  }

  @Test
  @Timeout(300)
  void aRetryAfterBeyondMaxRetrySecondsFailsTheRunAtOnceSayingUntilWhen() {
    Job job =
        new Job(
                Faults.builder()
                    .http5xxRate(1.0)
                    .maxConsecutiveFaults(100)
                    .retryAfterSeconds(86400)
                    .build())
            .run(root.resolve("retry-after"), "--streams=users", "--maxRetrySeconds=30");
    job.assertFailedWith("Meta asks to wait 86400 s (Retry-After, until ");
    job.assertFailedWith("for GET me/accounts");
    job.assertFailedWith("that exceeds --maxRetrySeconds=30: run later");
  }

  @Test
  @Timeout(300) // before pacing was bounded, this run waited for the client's one-hour window
  void pacingLongerThanMaxRetrySecondsFailsTheRunAtOnce() {
    // The app's budget is one call per (fixed-clock) hour: after me/accounts, the usage header says
    // 100%.
    Job job =
        new Job(Faults.builder().appRateLimitCode(4).appCallsPerWindow(1).build())
            .run(root.resolve("pacing"), "--streams=users", "--maxRetrySeconds=30");
    job.assertFailedWith("the rate budget of the app is used up to the 90% ceiling");
    job.assertFailedWith("that exceeds --maxRetrySeconds=30: run later");
  }

  @Test
  void aWaitOfMoreThanFiveSecondsIsLoggedWithItsReasonAndEnd() {
    // One call per six seconds on the emulator's wall clock: the second call waits out Meta's
    // regain time, which the
    // client bounds by its six-second window.
    Job job =
        new Job(
                Faults.none(),
                emulator ->
                    emulator
                        .accounts(1)
                        .mediaPerAccount(10)
                        .callsPerWindow(1)
                        .rateWindow(Duration.ofSeconds(6))
                        .systemClock())
            .run(root.resolve("logged-wait"), "--streams=users,media", "--rateWindowSeconds=6");
    job.assertSucceeded();
    Matcher waiting =
        Pattern.compile(
                "Waiting \\d+ s, until \\S+Z, before calling for account \\d+: Meta asks to wait "
                    + "1 minute \\(until \\S+Z\\)")
            .matcher(job.logs);
    assertTrue(waiting.find(), job.describe() + job.logs);
  }

  // ---------------------------------------------------------------- insights windows

  @Test
  void theDefaultStartDateWorksAgainstAServerThatCountsThirtyDaysFromNow() {
    Job job =
        new Job(Faults.none(), GraphApiEmulator.Builder::strictThirtyDays)
            .run(root.resolve("strict"), "--streams=user_insights");
    job.assertSucceeded();
    assertEquals(
        faultFree.get("user_insights"), job.published().get("user_insights"), job.describe());
  }

  @Test
  void aServerClockAheadOfOursGetsOneNarrowerRequestInsteadOfAFailedRun() {
    Job job =
        new Job(Faults.none(), GraphApiEmulator.Builder::strictThirtyDays)
            .clockAhead(Duration.ofHours(3))
            .run(root.resolve("strict-ahead"), "--streams=user_insights");
    job.assertSucceeded();
    assertTrue(job.logs.contains("asking again from a day later"), job.describe() + job.logs);
    // Only the 30-day metrics of each account's oldest day (one the server counts as older than 30
    // days) are
    // missing; that day's reach is there.
    Map<String, JsonNode> oldestWithFollowers =
        faultFree.get("user_insights").keySet().stream()
            .filter(r -> r.has("follower_count"))
            .collect(
                Collectors.toMap(
                    r -> r.path("business_account_id").asText(),
                    r -> r,
                    (a, b) ->
                        Instant.parse(a.path("date").asText().replace("+00:00", "Z"))
                                .isBefore(
                                    Instant.parse(b.path("date").asText().replace("+00:00", "Z")))
                            ? a
                            : b));
    Map<JsonNode, Long> expected = new java.util.HashMap<>();
    faultFree
        .get("user_insights")
        .forEach(
            (record, count) -> {
              ObjectNode copy = (ObjectNode) record.deepCopy();
              if (oldestWithFollowers.containsValue(record)) {
                copy.remove(List.of("follower_count", "online_followers"));
              }
              expected.put(copy, count);
            });
    assertEquals(2, oldestWithFollowers.size(), job.describe());
    assertEquals(expected, job.published().get("user_insights"), job.describe());
  }

  // ---------------------------------------------------------------- harness

  static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  /**
   * One job run against a fresh emulator over the same data set, with {@code faults} drawn from a
   * fresh seed.
   */
  static final class Job {
    long faultSeed;
    final Faults faults;
    final Consumer<GraphApiEmulator.Builder> setUp;
    Duration clockAhead = Duration.ZERO;
    Path output;
    JobHarness.Run run;
    String logs;
    EmulatorStats stats;
    List<RecordedRequest> requests;
    Dataset data;

    Job(Faults faults) {
      this(faults, emulator -> {});
    }

    Job(Faults faults, Consumer<GraphApiEmulator.Builder> setUp) {
      this.faults = faults;
      this.setUp = setUp;
    }

    Job clockAhead(Duration ahead) {
      this.clockAhead = ahead;
      return this;
    }

    /** Runs the job, capturing what the libraries logged on stderr as well. */
    Job run(Path output, String... extra) {
      this.output = output;
      this.faultSeed = FaultSeed.draw("HostileAnswersTest " + output.getFileName());
      GraphApiEmulator.Builder builder =
          GraphApiEmulator.builder()
              .seed(DATA_SEED)
              .accessToken(TOKEN)
              .accounts(2)
              .pagesWithoutInstagram(1)
              .mediaPerAccount(40)
              .storiesPerAccount(STORIES)
              .now(NOW)
              .faults(faults.withSeed(faultSeed));
      setUp.accept(builder);
      PrintStream stderr = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      try (GraphApiEmulator emulator = builder.build().start()) {
        emulator.clock().set(NOW.plus(clockAhead));
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--graphApiUrl=" + emulator.baseUrl(),
                    "--accessToken=" + TOKEN,
                    "--now=" + NOW,
                    "--output=" + output,
                    "--retryBackoffMillis=5"));
        args.addAll(List.of(extra));
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
          run = JobHarness.run(args.toArray(String[]::new));
        } finally {
          System.setErr(stderr);
        }
        stats = emulator.stats();
        requests = emulator.requests();
        data = emulator.dataset();
      }
      logs = captured.toString(StandardCharsets.UTF_8);
      return this;
    }

    Map<String, Map<JsonNode, Long>> published() {
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

    /**
     * The ids of the media and stories the emulator's odd-items knob changes: items {@code
     * positions} of each.
     */
    Set<String> oddItemIds(int... positions) {
      Set<String> ids = new java.util.HashSet<>();
      for (IgUser user : data.users()) {
        for (List<MediaItem> items : List.of(data.media(user.id()), data.stories(user.id()))) {
          for (int position : positions) {
            ids.add(items.get(position).id());
          }
        }
      }
      return ids;
    }

    long retries() {
      Matcher retries = Pattern.compile("(\\d+) retries").matcher(run.out());
      assertTrue(retries.find(), describe() + run.out());
      return Long.parseLong(retries.group(1));
    }

    void assertSucceeded() {
      assertEquals(0, run.exitCode(), describe() + run.err());
    }

    /** The run failed with one clear line holding {@code expected}, and published nothing. */
    void assertFailedWith(String expected) {
      assertEquals(Main.FAILED, run.exitCode(), describe() + run.out() + run.err());
      String[] lines = run.err().strip().split("\n");
      assertEquals(1, lines.length, describe() + run.err());
      assertTrue(lines[0].startsWith("instabeam: run failed: "), describe() + lines[0]);
      assertTrue(lines[0].contains(expected), describe() + lines[0]);
      assertFalse(lines[0].contains("Exception"), describe() + lines[0]);
    }

    /** Each of these kinds of odd answer was served. */
    void assertServed(String... kinds) {
      for (String kind : kinds) {
        assertTrue(
            stats.faults().getOrDefault(kind, 0L) > 0, describe() + "no " + kind + " was served");
      }
    }

    /** At least one of these kinds of odd answer was served. */
    void assertServedAnyOf(String... kinds) {
      long served = 0;
      for (String kind : kinds) {
        served += stats.faults().getOrDefault(kind, 0L);
      }
      assertTrue(served > 0, describe() + "none of " + String.join(", ", kinds) + " was served");
    }

    void assertSameOutputAsFaultFree() {
      Map<String, Map<JsonNode, Long>> published = published();
      assertEquals(faultFree.keySet(), published.keySet(), describe());
      for (String stream : faultFree.keySet()) {
        assertEquals(faultFree.get(stream), published.get(stream), describe() + "stream " + stream);
      }
    }

    String describe() {
      return "fault seed "
          + faultSeed
          + ", served "
          + (stats == null ? "?" : stats.faults())
          + ": ";
    }
  }
}
