package io.instabeam.pipeline;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A runner ({@code --runner=io.instabeam.pipeline.ErrorRunner}) that ends the way a run out of
 * memory can: an {@link OutOfMemoryError} on the main thread while a non-daemon worker thread is
 * still alive, which alone would keep the JVM (and its locks) alive for good.
 */
public final class ErrorRunner extends PipelineRunner<PipelineResult> {
  static final String MESSAGE = "simulated: Java heap space";

  public static ErrorRunner fromOptions(PipelineOptions options) {
    return new ErrorRunner();
  }

  @Override
  public PipelineResult run(Pipeline pipeline) {
    Thread worker = new Thread(ErrorRunner::workForever, "lingering-runner-worker");
    worker.setDaemon(false);
    worker.start();
    throw new OutOfMemoryError(MESSAGE);
  }

  private static void workForever() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
