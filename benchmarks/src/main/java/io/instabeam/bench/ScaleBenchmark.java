package io.instabeam.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.Faults;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import io.instabeam.emulator.Usage;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.pipeline.EmbeddedFlink;
import io.instabeam.pipeline.InstabeamOptions;
import io.instabeam.pipeline.InstabeamPipeline;
import io.instabeam.pipeline.JobConfig;
import io.instabeam.pipeline.Main;
import io.instabeam.pipeline.state.StateFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Runs the whole job (every stream, files sink) against the emulator with a stated data set and a
 * latency per HTTP request, and prints what it cost: HTTP requests by endpoint, Graph calls, quota
 * usage, records per stream, wall time against the lower bound that latency and concurrency allow,
 * peak heap, and the number of calls Airbyte's request pattern needs for the same data.
 *
 * <pre>
 * java -cp pipeline/target/instabeam.jar:benchmarks/target/instabeam-benchmarks.jar \
 *     io.instabeam.bench.ScaleBenchmark [--accounts=10 --media=1000 --stories=10 --carouselShare=0.2 --children=4 \
 *     --reelsShare=0.15 --days=90 --latencyMillis=50 --parallelism=16 --memoryCheck]
 * </pre>
 *
 * The options are parsed as a user's run parses them ({@link Main#parse}: the DirectRunner's model
 * checks off). What differs from a user's run: the job runs in this JVM beside the emulator, with
 * {@code --parallelism} runner threads ({@code --targetParallelism} and {@code --parallelism}, 16
 * by default), {@code --startDate} {@code days} before now, the JSONL files sink, no state and no
 * progress lines. {@link OverheadBenchmark} measures a user's process as is.
 *
 * <p>{@code --memoryCheck} runs the data set twice, with {@code media} and with 10 x {@code media}
 * per account, and compares the peak heap the job needed (live heap after GC, above what the
 * emulator's own data takes).
 */
public final class ScaleBenchmark {
  /**
   * The emulator serves requests on this many threads: with the job's threads, it caps the calls in
   * flight.
   */
  static final int EMULATOR_THREADS = 16;

  static final int ACCOUNT_CALLS_PER_DAY = 4800 * 50;
  static final int APP_CALLS_PER_DAY = 10_000_000;

  /** The benchmark's knobs, {@code --name=value}. */
  record Settings(
      int accounts,
      int media,
      int stories,
      double carouselShare,
      int children,
      double reelsShare,
      int days,
      long latencyMillis,
      int parallelism,
      int perAccount,
      int inFlight,
      boolean memoryCheck,
      List<String> runnerArgs) {
    static final java.util.Set<String> KNOWN =
        java.util.Set.of(
            "accounts",
            "media",
            "stories",
            "carouselShare",
            "children",
            "reelsShare",
            "days",
            "latencyMillis",
            "parallelism",
            "maxConcurrentPerAccount",
            "maxRequestsInFlight",
            "memoryCheck");

    static Settings parse(String[] args) {
      Map<String, String> a = new TreeMap<>();
      for (String arg : args) {
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unknown argument " + arg);
        }
        int eq = arg.indexOf('=');
        a.put(
            eq < 0 ? arg.substring(2) : arg.substring(2, eq),
            eq < 0 ? "true" : arg.substring(eq + 1));
      }
      return new Settings(
          Integer.parseInt(a.getOrDefault("accounts", "10")),
          Integer.parseInt(a.getOrDefault("media", "1000")),
          Integer.parseInt(a.getOrDefault("stories", "10")),
          Double.parseDouble(a.getOrDefault("carouselShare", "0.2")),
          Integer.parseInt(a.getOrDefault("children", "4")),
          Double.parseDouble(a.getOrDefault("reelsShare", "0.15")),
          Integer.parseInt(a.getOrDefault("days", "90")),
          Long.parseLong(a.getOrDefault("latencyMillis", "50")),
          Integer.parseInt(a.getOrDefault("parallelism", "16")),
          Integer.parseInt(a.getOrDefault("maxConcurrentPerAccount", "4")),
          Integer.parseInt(a.getOrDefault("maxRequestsInFlight", "16")),
          Boolean.parseBoolean(a.getOrDefault("memoryCheck", "false")),
          // anything else (--runner=FlinkRunner --flinkMaster=[local] …) goes to the job's pipeline
          // options
          a.entrySet().stream()
              .filter(e -> !KNOWN.contains(e.getKey()))
              .map(e -> "--" + e.getKey() + "=" + e.getValue())
              .toList());
    }

    Settings withMedia(int media) {
      return new Settings(
          accounts,
          media,
          stories,
          carouselShare,
          children,
          reelsShare,
          days,
          latencyMillis,
          parallelism,
          perAccount,
          inFlight,
          memoryCheck,
          runnerArgs);
    }

    String describe() {
      return accounts
          + " accounts x "
          + media
          + " media ("
          + Math.round(carouselShare * 100)
          + "% carousels of "
          + children
          + ", "
          + Math.round(reelsShare * 100)
          + "% reels), "
          + stories
          + " stories per account, "
          + days
          + " days of user insights; "
          + latencyMillis
          + " ms latency per HTTP request";
    }
  }

  /** One measured run. */
  record Result(
      EmulatorStats stats,
      Map<String, Long> records,
      Duration wall,
      Duration toFirstRequest,
      Duration emulatorCpu,
      Duration processCpu,
      long peakLiveBytes,
      long peakUsedBytes,
      long baselineBytes,
      AirbyteCalls airbyte) {}

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    PrintStream out = System.out;
    Result result = run(settings);
    report(out, settings, result);
    if (settings.memoryCheck()) {
      Settings tenfold = settings.withMedia(settings.media() * 10);
      Result big = run(tenfold);
      out.println();
      report(out, tenfold, big);
      double ratio = (double) big.peakLiveBytes() / Math.max(1, result.peakLiveBytes());
      out.printf(
          "%nMemory check: peak live heap of the job %s at %d media/account, %s at %d (x%.2f; target < x2: %s)%n",
          mib(result.peakLiveBytes()),
          settings.media(),
          mib(big.peakLiveBytes()),
          tenfold.media(),
          ratio,
          verdict(ratio < 2));
    }
  }

  static Result run(Settings s) throws Exception {
    Instant now = GraphApiEmulator.DEFAULT_NOW;
    Path output = Files.createTempDirectory("instabeam-bench");
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(42)
            .accessToken("bench-token")
            .accounts(s.accounts())
            .pagesWithoutInstagram(0)
            .mediaPerAccount(s.media())
            .storiesPerAccount(s.stories())
            .carouselShare(s.carouselShare())
            .childrenPerCarousel(s.children(), s.children())
            .reelsShare(s.reelsShare())
            .now(now)
            .latency(Duration.ofMillis(s.latencyMillis()))
            // Budgets as Meta sizes them: 4800 calls x impressions per account per 24 h (here: 50
            // impressions), and an
            // app-wide budget far above the run, so the percentages in the usage headers mean what
            // they would at Meta.
            .callsPerWindow(ACCOUNT_CALLS_PER_DAY)
            .rateWindow(Duration.ofHours(24))
            .faults(Faults.none().withAppRateLimit(4, APP_CALLS_PER_DAY))
            .build()
            .start()) {
      AirbyteCalls airbyte = AirbyteCalls.of(emulator, s.days());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--graphApiUrl=" + emulator.baseUrl(),
                  "--now=" + now,
                  "--output=" + output,
                  "--startDate="
                      + now.minus(s.days(), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS),
                  // threads of the runner: the DirectRunner's targetParallelism, Flink's
                  // parallelism
                  "--targetParallelism=" + s.parallelism(),
                  "--parallelism=" + s.parallelism(),
                  "--maxConcurrentPerAccount=" + s.perAccount(),
                  "--maxRequestsInFlight=" + s.inFlight()));
      args.addAll(s.runnerArgs());
      InstabeamOptions options =
          Main.parse(args.toArray(String[]::new)); // a user's defaults (runner checks off)
      JobConfig job = JobConfig.from(options, AccessToken.of("bench-token"));
      HeapWatch heap = HeapWatch.start();
      long cpuBefore = processCpuNanos();
      long emulatorCpuBefore = emulatorCpuNanos();
      Instant started = Instant.now();
      EmbeddedFlink.configure(options);
      Pipeline pipeline = Pipeline.create(options);
      InstabeamPipeline.build(pipeline, job, job.sink().open("bench"), StateFile.empty(), "bench");
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      Duration wall = Duration.between(started, Instant.now());
      Duration processCpu = Duration.ofNanos(processCpuNanos() - cpuBefore);
      Duration emulatorCpu = Duration.ofNanos(emulatorCpuNanos() - emulatorCpuBefore);
      heap.stop();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the job ended in state " + state);
      }
      long ranges =
          emulator.requests().stream()
              .filter(r -> r.path().endsWith("/media") && !r.params().containsKey("after"))
              .count();
      System.out.println("media edge read as " + ranges + " time ranges (first pages)");
      EmulatorStats stats = emulator.stats();
      Instant first = stats.concurrency().firstRequestAt();
      return new Result(
          stats,
          records(result),
          wall,
          first == null ? wall : Duration.between(started, first),
          emulatorCpu,
          processCpu,
          heap.peakLive(),
          heap.peakUsed(),
          heap.baseline(),
          airbyte);
    } finally {
      deleteTree(output);
    }
  }

  static void report(PrintStream out, Settings s, Result r) {
    EmulatorStats stats = r.stats();
    out.println(
        "instabeam scale benchmark ("
            + (s.runnerArgs().isEmpty() ? "DirectRunner" : s.runnerArgs())
            + ", targetParallelism="
            + s.parallelism()
            + ", maxConcurrentPerAccount="
            + s.perAccount()
            + ", maxRequestsInFlight="
            + s.inFlight()
            + ")");
    out.println("data set: " + s.describe());
    out.println();
    out.println(
        "HTTP requests by endpoint (Graph calls billed, batch sub-requests counted one by one):");
    stats.requestsByKind().forEach((kind, n) -> out.printf("  %-16s %7d requests%n", kind, n));
    stats.callsByKind().forEach((kind, n) -> out.printf("  %-16s %7d calls%n", kind, n));
    out.printf(
        "  total            %7d HTTP requests, %d Graph calls%n",
        stats.httpRequests(), stats.calls());
    out.println();
    Usage app = stats.appUsage();
    out.printf(
        "quota usage (X-App-Usage, X-Business-Use-Case-Usage; budgets: %d calls/24 h per account, %d per app):%n",
        ACCOUNT_CALLS_PER_DAY, APP_CALLS_PER_DAY);
    out.printf(
        "  app:                 call_count %d%%, total_cputime %d%%, total_time %d%%%n",
        app.callCount(), app.totalCputime(), app.totalTime());
    Usage worst =
        stats.usageByAccount().values().stream()
            .max(Comparator.comparingInt(Usage::callCount))
            .orElse(app);
    out.printf(
        "  busiest account:     call_count %d%%, total_cputime %d%%, total_time %d%% (%d calls)%n",
        worst.callCount(),
        worst.totalCputime(),
        worst.totalTime(),
        stats.callsByAccount().values().stream().mapToLong(Long::longValue).max().orElse(0));
    out.println();
    out.println("records per stream:");
    long total = 0;
    for (Map.Entry<String, Long> e : r.records().entrySet()) {
      out.printf("  %-24s %8d%n", e.getKey(), e.getValue());
      total += e.getValue();
    }
    double seconds = r.wall().toMillis() / 1000.0;
    // Two lower bounds, each met only if requests never wait for anything but the latency: all
    // requests at the
    // concurrency allowed (the emulator's threads, the accounts' budgets, the runner's threads plus
    // the insights
    // batches kept in flight), and the requests that only runner threads make (everything but batch
    // requests) at
    // the runner's threads.
    long perAccount = (long) s.accounts() * s.perAccount();
    long allowed = Math.min(EMULATOR_THREADS, Math.min(perAccount, s.parallelism() + s.inFlight()));
    long threads = Math.min(EMULATOR_THREADS, Math.min(perAccount, s.parallelism()));
    long onThreads = stats.httpRequests() - stats.requests("batch");
    double lowerBound =
        Math.max(
                Math.ceil((double) stats.httpRequests() / allowed),
                Math.ceil((double) onThreads / threads))
            * s.latencyMillis()
            / 1000.0;
    EmulatorStats.Concurrency inFlight = stats.concurrency();
    double extraction = inFlight.spanMillis() / 1000.0;
    out.println();
    out.printf("wall time %.2f s, %.0f records/s%n", seconds, total / seconds);
    out.printf(
        "lower bound from latency and concurrency: max(%d requests / %d in flight, %d non-batch requests / %d "
            + "runner threads) x %d ms = %.2f s%n",
        stats.httpRequests(), allowed, onThreads, threads, s.latencyMillis(), lowerBound);
    out.printf(
        "  wall / bound = %.2f; extraction (first request to last answer) / bound = %.2f%n",
        lowerBound == 0 ? 0 : seconds / lowerBound, lowerBound == 0 ? 0 : extraction / lowerBound);
    double toFirst = r.toFirstRequest().toMillis() / 1000.0;
    out.printf(
        "requests in flight at the emulator: peak %d, average %.1f over %.2f s from first request to last answer%n",
        inFlight.peakInFlight(), inFlight.averageInFlight(), extraction);
    out.println(
        "  average by tenth of that span: "
            + inFlight.byTenth().stream()
                .map(n -> String.format("%.1f", n))
                .collect(java.util.stream.Collectors.joining(" ")));
    out.printf(
        "time line: %.2f s to the first request (pipeline translation, runner start), %.2f s of requests, "
            + "%.2f s after the last answer (files published, runner stopped)%n",
        toFirst, extraction, seconds - toFirst - extraction);
    if (lowerBound > 0) {
      out.printf(
          "wall-time target (<= 1.5 x bound): extraction %s, whole run %s (%.1f s of the run are before the "
              + "first request or after the last answer: runner start-up, last writes, shut-down)%n",
          verdict(extraction / lowerBound <= 1.5),
          verdict(seconds / lowerBound <= 1.5),
          seconds - extraction);
    }
    out.printf(
        "CPU: %.1f s for the whole process on %d cores, of which the emulator's request threads %.1f s%n",
        r.processCpu().toMillis() / 1000.0,
        Runtime.getRuntime().availableProcessors(),
        r.emulatorCpu().toMillis() / 1000.0);
    out.printf(
        "peak heap: %s live after GC above the %s baseline (emulator data, runner), %s used at most%n",
        mib(r.peakLiveBytes()), mib(r.baselineBytes()), mib(r.peakUsedBytes()));
    out.println();
    AirbyteCalls a = r.airbyte();
    out.println(
        "Airbyte's request pattern for the same data set (one request per call, no batching):");
    a.parts().forEach((what, n) -> out.printf("  %-44s %7d%n", what, n));
    out.printf("  total                                        %7d%n", a.total());
    double ratio = (double) a.total() / Math.max(1, stats.httpRequests());
    out.printf(
        "instabeam HTTP requests: 1/%.1f of Airbyte's (target <= 1/20: %s)%n",
        ratio, verdict(ratio >= 20));
  }

  private static String verdict(boolean met) {
    return met ? "MET" : "NOT MET";
  }

  static Map<String, Long> records(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    Map<String, Long> records = new TreeMap<>();
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String name = counter.getName().getName();
      if (counter.getName().getNamespace().equals(GraphApiClient.METRICS_NAMESPACE)
          && name.startsWith(InstabeamPipeline.RECORDS_COUNTER_PREFIX)) {
        records.merge(
            name.substring(InstabeamPipeline.RECORDS_COUNTER_PREFIX.length()),
            counter.getAttempted(),
            Long::sum);
      }
    }
    return records;
  }

  /**
   * Airbyte's calls for the emulator's data (the requests of its connector's streams): pages of 100
   * on /me/accounts, media and stories; one call per media insight, per carousel child and per
   * story insight; 3 per account for lifetime demographics; 4 per account per day of user insights.
   * (Airbyte re-reads the media stream, children included, as the parent of media_insights; that is
   * left out, so this count is a lower bound.)
   */
  record AirbyteCalls(Map<String, Long> parts) {
    static AirbyteCalls of(GraphApiEmulator emulator, int days) {
      var data = emulator.dataset();
      Map<String, Long> parts = new LinkedHashMap<>();
      long accounts = data.users().size();
      long mediaPages = 0;
      long media = 0;
      long children = 0;
      long storyPages = 0;
      long stories = 0;
      for (IgUser user : data.users()) {
        List<MediaItem> items = data.media(user.id());
        mediaPages += Math.max(1, (items.size() + 99) / 100);
        media += items.size();
        children +=
            items.stream().filter(MediaItem::isCarousel).mapToLong(m -> m.children().size()).sum();
        List<MediaItem> story = data.stories(user.id());
        storyPages += Math.max(1, (story.size() + 99) / 100);
        stories += story.size();
      }
      parts.put("me/accounts pages of 100", Math.max(1L, (data.pages().size() + 99) / 100));
      parts.put("users: 1 per account", accounts);
      parts.put("media pages of 100", mediaPages);
      parts.put("carousel children: 1 per child", children);
      parts.put("media_insights: 1 per media", media);
      parts.put("stories pages of 100", storyPages);
      parts.put("story_insights: 1 per story", stories);
      parts.put("user_lifetime_insights: 3 per account", 3 * accounts);
      parts.put("user_insights: 4 per account per day (" + days + " d)", 4L * days * accounts);
      return new AirbyteCalls(parts);
    }

    long total() {
      return parts.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Peak heap while the job runs. "Live" is the heap in use right after each garbage collection
   * (what the job holds on to, not garbage waiting for the collector), above the baseline measured
   * just before the job started.
   */
  static final class HeapWatch {
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final long baseline;
    private final List<Runnable> unsubscribe = new ArrayList<>();

    private HeapWatch(long baseline) {
      this.baseline = baseline;
    }

    static HeapWatch start() {
      System.gc();
      long baseline = heapUsed();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      HeapWatch watch = new HeapWatch(baseline);
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          javax.management.NotificationListener listener =
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  var info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long after =
                      info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                          .mapToLong(MemoryUsage::getUsed)
                          .sum();
                  watch.peakAfterGc.accumulateAndGet(after, Math::max);
                }
              };
          emitter.addNotificationListener(listener, null, null);
          watch.unsubscribe.add(
              () -> {
                try {
                  emitter.removeNotificationListener(listener);
                } catch (Exception ignored) {
                  // already gone
                }
              });
        }
      }
      return watch;
    }

    void stop() {
      // One last collection so a job that never triggered one is still measured.
      System.gc();
      try {
        Thread.sleep(200); // GC notifications are delivered asynchronously
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      unsubscribe.forEach(Runnable::run);
    }

    long baseline() {
      return baseline;
    }

    long peakLive() {
      return Math.max(0, peakAfterGc.get() - baseline);
    }

    long peakUsed() {
      return ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .mapToLong(p -> p.getPeakUsage().getUsed())
          .sum();
    }

    private static long heapUsed() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU time of the emulator's request threads (alive until it closes), to tell the API's work from
   * the job's.
   */
  private static long emulatorCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long nanos = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("graph-emulator-")) {
        nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return nanos;
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
