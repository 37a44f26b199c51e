package io.instabeam.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The job as a process of its own ({@code java -cp <test classpath> io.instabeam.pipeline.Main …}),
 * so that a test can stop it the way a scheduler does: SIGTERM ({@link Process#destroy()}) or
 * {@code kill -9} ({@link Process#destroyForcibly()}). Its stdout and stderr go to files, read once
 * it has ended.
 */
final class ChildJob {
  final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJob(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static ChildJob start(Path logs, String... args) {
    try {
      Files.createDirectories(logs);
      Path out = Files.createTempFile(logs, "child-", ".out");
      Path err = Path.of(out.toString().replace(".out", ".err"));
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  // Start-up matters more than peak speed in these short runs; a small heap keeps
                  // two children affordable.
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx512m",
                  "-cp",
                  classpath(),
                  Main.class.getName()));
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      return new ChildJob(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Surefire runs the tests from a manifest-only jar; the classpath it stands for is in this
   * property.
   */
  private static String classpath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }

  /**
   * Waits for the process to end; a process still running after {@code seconds} fails the test (it
   * hangs).
   */
  int waitFor(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("the job did not end within " + seconds + " s; stderr: " + err());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String out() {
    return read(stdout);
  }

  String err() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
