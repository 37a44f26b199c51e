package io.instabeam.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Sizes the network memory of an embedded Flink cluster ({@code --flinkMaster=[local]}) to its
 * parallelism. Flink's local default (64 MB, 2,048 buffers) runs out once many slots' data
 * exchanges run side by side (parallelism 16 on 100,000 media failed with "Insufficient number of
 * network buffers"). Leaves alone a remote master, and any configuration the user gives ({@code
 * --flinkConfDir} or {@code FLINK_CONF_DIR}).
 */
public final class EmbeddedFlink {
  /** Network memory per slot, and the least in total (Flink's own default). */
  static final int MB_PER_SLOT = 16;

  static final int MIN_MB = 64;

  private EmbeddedFlink() {}

  public static void configure(PipelineOptions options) {
    if (options.getRunner() != FlinkRunner.class) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!"[local]".equals(flink.getFlinkMaster())
        || flink.getFlinkConfDir() != null
        || System.getenv("FLINK_CONF_DIR") != null) {
      return;
    }
    int slots =
        flink.getParallelism() > 0
            ? flink.getParallelism()
            : Runtime.getRuntime().availableProcessors();
    int networkMb = Math.max(MIN_MB, MB_PER_SLOT * slots);
    try {
      Path dir = Files.createTempDirectory("instabeam-flink-conf");
      dir.toFile().deleteOnExit();
      Path conf =
          Files.writeString(
              dir.resolve("flink-conf.yaml"),
              "taskmanager.memory.network.min: "
                  + networkMb
                  + "mb\n"
                  + "taskmanager.memory.network.max: "
                  + networkMb
                  + "mb\n");
      conf.toFile().deleteOnExit();
      flink.setFlinkConfDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
    }
  }
}
