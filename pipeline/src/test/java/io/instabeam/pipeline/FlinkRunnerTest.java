package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on an embedded Flink cluster publishes exactly what the DirectRunner publishes. */
class FlinkRunnerTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path temp;

  @Test
  void flinkOutputEqualsDirectRunnerOutput() {
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(5)
            .accessToken("token-flink")
            .accounts(2)
            .mediaPerAccount(120)
            .storiesPerAccount(3)
            .now(NOW)
            .build()
            .start()) {
      Map<String, List<String>> direct =
          runOn(emulator, temp.resolve("direct"), "--runner=DirectRunner");
      emulator.reset();
      Map<String, List<String>> flink =
          runOn(
              emulator,
              temp.resolve("flink"),
              "--runner=FlinkRunner",
              "--flinkMaster=[local]",
              "--parallelism=2");
      assertFalse(direct.getOrDefault("media", List.of()).isEmpty(), "the comparison needs data");
      assertEquals(direct.keySet(), flink.keySet());
      direct.forEach((stream, records) -> assertEquals(records, flink.get(stream), stream));
    }
  }

  /**
   * Runs every stream through {@link Main} and returns each stream's records, canonical and sorted.
   */
  private static Map<String, List<String>> runOn(
      GraphApiEmulator emulator, Path output, String... runner) {
    String[] common = {
      "--graphApiUrl=" + emulator.baseUrl(),
      "--accessToken=token-flink",
      "--now=" + NOW,
      "--output=" + output
    };
    String[] args = new String[common.length + runner.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(runner, 0, args, common.length, runner.length);
    JobHarness.Run run = JobHarness.run(args);
    assertEquals(0, run.exitCode(), run.err());
    Map<String, List<String>> streams = new TreeMap<>();
    JobHarness.published(output)
        .forEach(
            (stream, records) ->
                streams.put(
                    stream,
                    records.stream()
                        .map(FlinkRunnerTest::canonical)
                        .sorted()
                        .collect(Collectors.toList())));
    return streams;
  }

  /** Field order is not part of a record: compare with keys sorted. */
  private static String canonical(ObjectNode record) {
    try {
      Object tree = JobHarness.JSON.treeToValue(record, Object.class);
      return JobHarness.JSON
          .copy()
          .configure(
              com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
