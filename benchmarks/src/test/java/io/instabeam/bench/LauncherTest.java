package io.instabeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build writes ({@code pipeline/target/instabeam}, run here after the pipeline
 * module's package phase): it runs the job, and its class-data archive fits the jar beside it
 * ({@code -Xshare:on} makes the JVM fail instead of loading classes without it).
 */
class LauncherTest {
  static final Path TARGET = Path.of("..", "pipeline", "target").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theLauncherRunsTheDemoWithTheArchiveTheBuildWrote() throws Exception {
    assertTrue(
        Files.isRegularFile(TARGET.resolve("instabeam.jsa")), "no class-data archive in " + TARGET);
    Path output = tmp.resolve("output");
    Result demo = run(List.of("--demo", "--output=" + output), "-Xshare:on");
    assertEquals(0, demo.exit(), demo.text());
    assertTrue(demo.text().contains("instabeam run succeeded"), demo.text());
    try (Stream<Path> media = Files.list(output.resolve("media"))) {
      assertTrue(
          media.anyMatch(file -> file.getFileName().toString().endsWith(".jsonl")),
          "no media written");
    }
  }

  @Test
  void javaOptsReachTheJvmAndTheArgumentsTheJob() throws Exception {
    Result help = run(List.of("--help"), "-Dinstabeam.launcher.test=1 -XX:+PrintCommandLineFlags");
    assertEquals(0, help.exit(), help.text());
    assertTrue(help.text().contains("--accessToken=<String>"), help.text());
    assertTrue(
        help.text().contains("-XX:TieredStopAtLevel=1") && help.text().contains("-XX:+UseSerialGC"),
        help.text());
  }

  private record Result(int exit, String text) {}

  private Result run(List<String> args, String javaOpts) throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of(TARGET.resolve("instabeam").toString()));
    command.addAll(args);
    Path log = tmp.resolve("launcher.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("JAVA_OPTS", javaOpts);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the launcher ran past 120 s: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
