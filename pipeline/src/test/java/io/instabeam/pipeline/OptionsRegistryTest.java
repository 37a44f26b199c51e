package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * A run registers only the options interfaces its arguments name, and every option Beam knows is
 * still accepted through {@link Main#parse}.
 */
class OptionsRegistryTest {
  @Test
  void aPlainRunRegistersOnlyTheJobsAndTheDirectRunnersOptions() {
    assertEquals(
        Set.of(InstabeamOptions.class, DirectOptions.class),
        OptionsRegistry.needed(new String[] {"--output=out", "--streams=media"}));
  }

  @Test
  void anOptionOfAnotherInterfaceRegistersTheInterfaceThatDeclaresIt() {
    Set<Class<? extends PipelineOptions>> needed =
        OptionsRegistry.needed(
            new String[] {"--project=p", "--runner=FlinkRunner", "--flinkMaster=[local]"});
    assertTrue(
        needed.containsAll(List.of(GcpOptions.class, FlinkPipelineOptions.class)),
        needed.toString());
    assertTrue(
        needed.size() < OptionsRegistry.needed(new String[] {"--runner=DataflowRunner"}).size(),
        needed.toString());
  }

  @Test
  void otherRunnersGetEveryInterface() {
    assertTrue(
        OptionsRegistry.needed(new String[] {"--runner=DataflowRunner"})
            .contains(DataflowPipelineOptions.class));
  }

  @Test
  void beamOptionsOutsideTheJobsInterfaceAreAccepted() {
    InstabeamOptions options =
        Main.parse(
            new String[] {
              "--project=my-project", "--experiments=a,b", "--targetParallelism=3", "--output=out"
            });
    assertEquals("my-project", options.as(GcpOptions.class).getProject());
    assertEquals(List.of("a", "b"), options.as(ExperimentalOptions.class).getExperiments());
    assertEquals(3, options.as(DirectOptions.class).getTargetParallelism());
  }
}
