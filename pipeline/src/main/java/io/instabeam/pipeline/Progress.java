package io.instabeam.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;

/**
 * Periodic progress of a long run, from the runner's live counters: accounts, records per stream,
 * Graph API calls and throttled time. Runners that cannot report metrics while running simply print
 * nothing.
 */
final class Progress implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private Progress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static Progress every(Duration period, PipelineResult result, Instant started, PrintStream out) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "instabeam-progress");
              thread.setDaemon(true);
              return thread;
            });
    if (!period.isZero() && !period.isNegative()) {
      timer.scheduleAtFixedRate(
          () -> print(result, started, out),
          period.toMillis(),
          period.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return new Progress(timer);
  }

  private static void print(PipelineResult result, Instant started, PrintStream out) {
    try {
      RunSummary now = RunSummary.of(result, Duration.between(started, Instant.now()), "");
      out.println("instabeam: progress " + now.progressLine());
    } catch (RuntimeException e) {
      // live metrics are best effort: some runners have none until the end
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
