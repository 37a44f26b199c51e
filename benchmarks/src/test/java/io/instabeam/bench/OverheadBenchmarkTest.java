package io.instabeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.instabeam.bench.OverheadBenchmark.DataSet;
import io.instabeam.bench.OverheadBenchmark.Figure;
import io.instabeam.bench.OverheadBenchmark.OperatorCommand;
import io.instabeam.bench.OverheadBenchmark.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverheadBenchmarkTest {
  @TempDir Path dir;

  @Test
  void optionsSplitTheCommandAndTheJobArgumentsOnSpaces() {
    Settings s =
        Settings.parse(
            new String[] {
              "--command=java  -jar pipeline/target/instabeam.jar",
              "--sets=small,large",
              "--runs=1",
              "--latencyMillis=100",
              "--jobArgs=--runner=FlinkRunner --parallelism=2",
              "--commands=check"
            });

    assertEquals(List.of("java", "-jar", "pipeline/target/instabeam.jar"), s.command());
    assertEquals(List.of(DataSet.SMALL, DataSet.LARGE), s.sets());
    assertEquals(List.of(OperatorCommand.CHECK), s.operatorCommands());
    assertEquals(Duration.ofMillis(100), s.latency());
    assertEquals(List.of("--runner=FlinkRunner", "--parallelism=2"), s.jobArgs());
    assertEquals(Duration.ofSeconds(300), s.timeout());
  }

  @Test
  void badOptionsAreRefusedWithWhatIsKnown() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--command=java", "--sets=tiny"}))
            .getMessage()
            .contains("known: small,demo,large"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--command=java", "--run=1"}))
            .getMessage()
            .contains("unknown option --run"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Settings.parse(new String[] {"--command=no/such/launcher"}))
            .getMessage()
            .contains("not an executable file"));
  }

  @Test
  void medianOfAnOddAndAnEvenNumberOfRuns() {
    assertEquals(2.0, OverheadBenchmark.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, OverheadBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)));
    assertEquals(1.0, OverheadBenchmark.min(List.of(3.0, 1.0, 2.0)));
  }

  /** One run of the job on the small set, in a child JVM with this test's class path. */
  @Test
  void measuresTheJobAsAChildProcess() throws Exception {
    Path json = dir.resolve("figures.json");
    Settings s =
        new Settings(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.instabeam.pipeline.Main"),
            List.of(DataSet.SMALL),
            List.of(),
            1,
            Duration.ZERO,
            List.of(),
            Duration.ofSeconds(300),
            json);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        OverheadBenchmark.run(
            s,
            dir,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    JsonNode row = new ObjectMapper().readTree(json.toFile()).get("rows").get(0);
    assertEquals("small", row.get("name").asText());
    for (Figure figure : Figure.values()) {
      assertTrue(row.get("median").has(figure.key()), figure.key() + " in " + row);
    }
    JsonNode median = row.get("median");
    assertTrue(median.get("records").asLong() > 0, row.toString());
    assertTrue(median.get("http_requests").asLong() > 0, row.toString());
    assertTrue(
        median.get("graph_calls").asLong() >= median.get("http_requests").asLong(), row.toString());
    assertTrue(median.get("cpu_s").asDouble() > 0, row.toString());
    assertTrue(median.get("peak_rss_mib").asDouble() > 0, row.toString());
    assertTrue(
        out.toString(StandardCharsets.UTF_8).lines().anyMatch(line -> line.startsWith("  small ")),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailingChildEndsTheBenchmarkWithItsStderr() throws Exception {
    Settings s =
        new Settings(
            List.of("sh", "-c", "echo 'instabeam: run failed: boom' >&2; exit 1", "sh"),
            List.of(DataSet.SMALL),
            List.of(),
            1,
            Duration.ZERO,
            List.of(),
            Duration.ofSeconds(60),
            null);
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        OverheadBenchmark.run(
            s,
            dir,
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertEquals(1, status);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        message.contains("small, run 1: exit status 1")
            && message.contains("instabeam: run failed: boom"),
        message);
  }
}
