package io.instabeam.bench;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.pipeline.InstabeamOptions;
import io.instabeam.pipeline.InstabeamPipeline;
import io.instabeam.pipeline.JobConfig;
import io.instabeam.pipeline.Main;
import io.instabeam.pipeline.state.StateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * What incremental media costs: {@code --days} daily runs of every default stream against the
 * emulator, its clock a day further each time (engagement drifts, accounts keep posting), once with
 * today's defaults (media and media_insights in full refresh) and once with {@code
 * --syncMode=media:incremental_append_deduped,media_insights:incremental_append_deduped}; each with
 * its own output and state file. Prints the Graph calls (as Meta bills them: each batch part
 * counts) of every run, and the steady state: the mean of the runs after the first {@code
 * insightsMaxAgeDays + 1}, when the rotation has come round. A full refresh costs the same every
 * day but for the posts that appeared, so {@code --fullEvery=N} runs it only on the first day and
 * every N-th after (a full run of the large set takes minutes on a busy machine).
 *
 * <pre>java -cp pipeline/target/instabeam.jar:benchmarks/target/instabeam-benchmarks.jar \
 *     io.instabeam.bench.IncrementalBenchmark [--accounts=10 --media=1000 --days=30 --fullEvery=1]
 * </pre>
 */
public final class IncrementalBenchmark {
  private static final String TOKEN = "bench-token";
  private static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
  private static final int ROTATION_DAYS = 7;
  static final String INCREMENTAL =
      "--syncMode=media:incremental_append_deduped," + "media_insights:incremental_append_deduped";

  private IncrementalBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = BenchmarkFlags.parse(args);
    int accounts = BenchmarkFlags.number(flags, "accounts", 10);
    int media = BenchmarkFlags.number(flags, "media", 1000);
    int days = BenchmarkFlags.number(flags, "days", 30);
    int fullEvery = BenchmarkFlags.number(flags, "fullEvery", 1);
    Path root = Files.createTempDirectory("instabeam-incremental-benchmark");

    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(42)
            .accessToken(TOKEN)
            .accounts(accounts)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(media)
            .storiesPerAccount(10)
            .now(NOW)
            .build()
            .start()) {
      System.out.printf(
          "%d accounts x %d media, %d daily runs (calls per run, as Meta bills them)%n",
          accounts, media, days);
      System.out.printf("%-5s %-20s %12s %12s%n", "day", "now", "full", "incremental");
      List<long[]> calls = new ArrayList<>();
      for (int day = 0; day < days; day++) {
        Instant now = NOW.plus(Duration.ofDays(day));
        emulator.clock().set(now);
        // Each arm has its own output and state: the full arm's user_insights stays incremental, as
        // by default.
        long full = day % fullEvery == 0 ? run(emulator, now, root.resolve("full")) : -1;
        long incremental = run(emulator, now, root.resolve("incremental"), INCREMENTAL);
        calls.add(new long[] {full, incremental});
        System.out.printf(
            "%-5d %-20s %12s %12d%n",
            day + 1, now, full < 0 ? "-" : Long.toString(full), incremental);
      }
      if (days <= ROTATION_DAYS + 1) {
        System.out.printf(
            "no steady state: it starts at run %d (--days=%d)%n", ROTATION_DAYS + 2, days);
        return;
      }
      List<long[]> steady = calls.subList(ROTATION_DAYS + 1, calls.size());
      double fullMean =
          steady.stream().mapToLong(c -> c[0]).filter(c -> c >= 0).average().orElse(0);
      double incrementalMean = steady.stream().mapToLong(c -> c[1]).average().orElse(0);
      System.out.printf(
          "steady state (runs %d to %d): full %.0f, incremental %.0f calls per run: %.1f%% (1/%.1f)%n",
          ROTATION_DAYS + 2,
          days,
          fullMean,
          incrementalMean,
          100 * incrementalMean / fullMean,
          fullMean / incrementalMean);
    }
  }

  /**
   * One run of the default streams into {@code dir} (its output and state file); returns the calls
   * it made.
   */
  private static long run(GraphApiEmulator emulator, Instant now, Path dir, String... extra)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--now=" + now,
                "--output=" + dir.resolve("output"),
                "--state=" + dir.resolve("state.json")));
    args.addAll(List.of(extra));
    InstabeamOptions options = Main.parse(args.toArray(String[]::new));
    JobConfig job = JobConfig.from(options, AccessToken.of(TOKEN));
    Pipeline pipeline = Pipeline.create(options);
    String runId = "bench-" + now.getEpochSecond();
    InstabeamPipeline.build(
        pipeline, job, job.sink().open(runId), StateFile.read(job.statePath()), runId);
    emulator.resetStats();
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the run of " + now + " ended " + state);
    }
    return emulator.stats().calls();
  }
}
