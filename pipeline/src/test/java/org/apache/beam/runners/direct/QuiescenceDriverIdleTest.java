package org.apache.beam.runners.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;

/**
 * The DirectRunner waits without burning a core: while the only work is a DoFn that waits (as one
 * waiting on the network or the rate budget does), the runner's own threads use next to no CPU.
 * Beam's driver loop spins instead, using as much CPU as the wait lasts. The bound is on CPU time,
 * which a busy machine can only lower.
 */
class QuiescenceDriverIdleTest {
  static final long WAIT_MILLIS = 1_500;
  static final AtomicLong RUNNER_CPU_NANOS = new AtomicLong(-1);

  @Test
  void aWaitingDoFnCostsTheRunnerNoCpu() {
    Pipeline pipeline =
        Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    pipeline.apply(Create.of("wait")).apply(ParDo.of(new Wait()));
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
    long cpuMillis = RUNNER_CPU_NANOS.get() / 1_000_000;
    assertTrue(
        cpuMillis >= 0 && cpuMillis < WAIT_MILLIS / 10,
        "the runner's threads used "
            + cpuMillis
            + " ms of CPU during a "
            + WAIT_MILLIS
            + " ms wait");
  }

  /**
   * Waits, and measures the CPU the runner's threads (all but this one, which sleeps) used
   * meanwhile.
   */
  static final class Wait extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String element) throws InterruptedException {
      long before = runnerCpuNanos();
      Thread.sleep(WAIT_MILLIS);
      RUNNER_CPU_NANOS.set(runnerCpuNanos() - before);
    }

    private static long runnerCpuNanos() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long total = 0;
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null && info.getThreadName().startsWith("direct-runner-worker")) {
          total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
        }
      }
      return total;
    }
  }
}
