package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.Test;

/**
 * The job's defaults for runner options that cost a batch run much and buy it nothing; an option
 * given wins.
 */
class RunnerDefaultsTest {
  @Test
  void theDirectRunnersModelChecksAreOffUnlessAsked() {
    DirectOptions plain = Main.parse(new String[] {"--output=out"}).as(DirectOptions.class);
    assertFalse(plain.isEnforceImmutability());
    assertFalse(plain.isEnforceEncodability());
    DirectOptions asked =
        Main.parse(new String[] {"--enforceImmutability=true", "--enforceEncodability"})
            .as(DirectOptions.class);
    assertTrue(asked.isEnforceImmutability());
    assertTrue(asked.isEnforceEncodability());
  }

  @Test
  void flinkSkipsItsDefensiveCopiesUnlessAsked() {
    assertTrue(
        Main.parse(new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]"})
            .as(FlinkPipelineOptions.class)
            .getFasterCopy());
    assertFalse(
        Main.parse(new String[] {"--runner=FlinkRunner", "--fasterCopy=false"})
            .as(FlinkPipelineOptions.class)
            .getFasterCopy());
  }
}
