package io.instabeam.bench;

import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.pipeline.InstabeamOptions;
import io.instabeam.pipeline.InstabeamPipeline;
import io.instabeam.pipeline.JobConfig;
import io.instabeam.pipeline.Main;
import io.instabeam.pipeline.RunSummary;
import io.instabeam.pipeline.state.StateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * How much of Meta's per-account budget the job uses when the budget bounds the run. Starts the
 * emulator on the wall clock with {@code --callsPerWindow} calls per account per {@code
 * --windowSeconds} window (a budget the run needs several windows for), runs every stream through
 * {@link InstabeamPipeline} on the DirectRunner, and prints the calls made, the budget, the time,
 * the windows elapsed, the utilisation = calls / (budget × elapsed windows) and the rate-limit
 * errors the emulator served.
 *
 * <pre>java -cp pipeline/target/instabeam.jar:benchmarks/target/instabeam-benchmarks.jar \
 *     io.instabeam.bench.BudgetBenchmark [--accounts=2 --media=300 --callsPerWindow=60 --windowSeconds=5 \
 *     --usageCeilingPercent=90 --maxConcurrentPerAccount=4]</pre>
 */
public final class BudgetBenchmark {
  private static final String TOKEN = "bench-token";
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private BudgetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = BenchmarkFlags.parse(args);
    int accounts = BenchmarkFlags.number(flags, "accounts", 2);
    int media = BenchmarkFlags.number(flags, "media", 300);
    int budget = BenchmarkFlags.number(flags, "callsPerWindow", 60);
    int windowSeconds = BenchmarkFlags.number(flags, "windowSeconds", 5);
    int ceiling = BenchmarkFlags.number(flags, "usageCeilingPercent", 90);
    int concurrency = BenchmarkFlags.number(flags, "maxConcurrentPerAccount", 4);
    Path output = Files.createTempDirectory("instabeam-budget-benchmark");

    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(42)
            .accessToken(TOKEN)
            .accounts(accounts)
            .pagesWithoutInstagram(0)
            .mediaPerAccount(media)
            .storiesPerAccount(5)
            .now(NOW)
            .systemClock()
            .callsPerWindow(budget)
            .rateWindow(Duration.ofSeconds(windowSeconds))
            .build()
            .start()) {
      emulator.clock().set(NOW);
      InstabeamOptions options =
          Main.parse(
              new String[] {
                "--graphApiUrl=" + emulator.baseUrl(),
                "--now=" + NOW,
                "--output=" + output,
                "--rateWindowSeconds=" + windowSeconds,
                "--usageCeilingPercent=" + ceiling,
                "--maxConcurrentPerAccount=" + concurrency,
                "--targetParallelism=" + Math.max(4, accounts * concurrency)
              }); // a user's defaults (runner checks off)
      JobConfig job = JobConfig.from(options, AccessToken.of(TOKEN));
      Pipeline pipeline = Pipeline.create(options);
      InstabeamPipeline.build(
          pipeline, job, job.sink().open("bench"), StateFile.read(null), "bench");

      CallWatch watch = new CallWatch(emulator);
      watch.start();
      long started = System.nanoTime();
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      Duration wall = Duration.ofNanos(System.nanoTime() - started);
      watch.interrupt();
      watch.join();
      EmulatorStats stats = emulator.stats();
      RunSummary summary = RunSummary.of(result, wall, output.toString());
      report(
          state,
          stats,
          summary,
          wall,
          watch.active(),
          watch.callsAfter(Duration.ofSeconds(windowSeconds)),
          accounts,
          budget,
          windowSeconds,
          ceiling);
    }
  }

  private static void report(
      PipelineResult.State state,
      EmulatorStats stats,
      RunSummary summary,
      Duration wall,
      Duration active,
      long steadyCalls,
      int accounts,
      int budget,
      int windowSeconds,
      int ceiling) {
    long accountCalls = stats.callsByAccount().values().stream().mapToLong(Long::longValue).sum();
    long refused =
        stats.rateLimitErrorsByAccount().values().stream().mapToLong(Long::longValue).sum();
    double windows = active.toMillis() / (windowSeconds * 1000.0);
    long windowsStarted = (long) Math.ceil(windows);
    double budgetPerWindow = (double) budget * accounts;
    System.out.printf("instabeam budget benchmark: %s%n", state);
    System.out.printf(
        "  accounts: %d, budget: %d calls per account per %d s window, usage ceiling %d%%%n",
        accounts, budget, windowSeconds, ceiling);
    System.out.printf(
        "  calls made: %d (%d charged to accounts, %d HTTP requests, %d retries)%n",
        stats.calls(), accountCalls, stats.httpRequests(), summary.counter("retries"));
    System.out.printf(
        "  wall time: %.1f s; calling from first to last call: %.1f s = %.2f windows (%d started)%n",
        wall.toMillis() / 1000.0, active.toMillis() / 1000.0, windows, windowsStarted);
    System.out.printf(
        "  budget available: %.0f calls in %.2f windows (%.0f in the %d windows started)%n",
        budgetPerWindow * windows, windows, budgetPerWindow * windowsStarted, windowsStarted);
    System.out.printf(
        "  utilisation: %.1f%% of the elapsed windows, %.1f%% of the windows started%n",
        100.0 * accountCalls / (budgetPerWindow * windows),
        100.0 * accountCalls / (budgetPerWindow * windowsStarted));
    Duration steady = active.minus(Duration.ofSeconds(windowSeconds));
    if (!steady.isNegative() && !steady.isZero()) {
      double steadyWindows = steady.toMillis() / (windowSeconds * 1000.0);
      System.out.printf(
          "  steady state (after the first window): %d calls in %.2f windows = %.1f%% utilisation%n",
          steadyCalls, steadyWindows, 100.0 * steadyCalls / (budgetPerWindow * steadyWindows));
    }
    System.out.printf(
        "  rate-limit errors served: %d (by account %s); throttled %d ms%n",
        refused, stats.rateLimitErrorsByAccount(), summary.counter("throttling-msecs"));
  }

  /**
   * Watches the emulator's account calls to time the span from the first to the last call, and to
   * count the calls after the first window (the steady state: the first window also holds the
   * start-up and a free first burst).
   */
  private static final class CallWatch extends Thread {
    private final GraphApiEmulator emulator;
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong last = new AtomicLong();
    private final java.util.List<long[]> samples =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    CallWatch(GraphApiEmulator emulator) {
      super("budget-benchmark-call-watch");
      this.emulator = emulator;
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (!isInterrupted()) {
        long calls =
            emulator.stats().callsByAccount().values().stream().mapToLong(Long::longValue).sum();
        if (calls != seen) {
          long now = System.nanoTime();
          first.compareAndSet(0, now);
          last.set(now);
          seen = calls;
          samples.add(new long[] {now, calls});
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Account calls made after {@code warmUp} from the first call on. */
    long callsAfter(Duration warmUp) {
      long cut = first.get() + warmUp.toNanos();
      long before = 0;
      long total = 0;
      synchronized (samples) {
        for (long[] sample : samples) {
          if (sample[0] <= cut) {
            before = sample[1];
          }
          total = sample[1];
        }
      }
      return total - before;
    }

    Duration active() {
      return Duration.ofNanos(last.get() - first.get());
    }
  }
}
