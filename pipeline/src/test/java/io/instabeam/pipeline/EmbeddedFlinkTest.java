package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/**
 * The embedded cluster's network memory follows the parallelism; given configurations and remote
 * masters win.
 */
class EmbeddedFlinkTest {
  private static FlinkPipelineOptions options(String... args) {
    return Main.parse(args).as(FlinkPipelineOptions.class);
  }

  /** What Flink itself reads from the directory the option points to. */
  private static Configuration loaded(FlinkPipelineOptions options) {
    return GlobalConfiguration.loadConfiguration(options.getFlinkConfDir());
  }

  @Test
  @DisabledIfEnvironmentVariable(named = "FLINK_CONF_DIR", matches = ".*")
  void anEmbeddedClusterGetsNetworkMemoryForEachSlot() {
    FlinkPipelineOptions options =
        options("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=16");
    EmbeddedFlink.configure(options);
    Configuration conf = loaded(options);
    assertEquals(MemorySize.parse("256mb"), conf.get(TaskManagerOptions.NETWORK_MEMORY_MIN));
    assertEquals(MemorySize.parse("256mb"), conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX));

    FlinkPipelineOptions small =
        options("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    EmbeddedFlink.configure(small);
    assertEquals(
        MemorySize.parse("64mb"), loaded(small).get(TaskManagerOptions.NETWORK_MEMORY_MAX));
  }

  @Test
  void aRemoteMasterAnotherRunnerOrAGivenConfigurationIsLeftAlone() {
    for (FlinkPipelineOptions options :
        new FlinkPipelineOptions[] {
          options(
              "--runner=FlinkRunner", "--flinkMaster=flink-jobmanager:8081", "--parallelism=16"),
          options("--runner=DirectRunner", "--parallelism=16")
        }) {
      EmbeddedFlink.configure(options);
      assertNull(options.getFlinkConfDir(), options.getFlinkMaster());
    }
    FlinkPipelineOptions given =
        options("--runner=FlinkRunner", "--flinkMaster=[local]", "--flinkConfDir=/etc/flink");
    EmbeddedFlink.configure(given);
    assertEquals("/etc/flink", given.getFlinkConfDir());
  }
}
