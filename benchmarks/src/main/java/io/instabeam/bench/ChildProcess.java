package io.instabeam.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One child process measured from outside, as the operating system sees it (Linux only: it reads
 * {@code /proc}). Its stdout and stderr go to files; its peak resident memory is polled from {@code
 * /proc/PID/status} while it runs; it is killed past a deadline; and its CPU time is the growth of
 * this process's {@code cutime + cstime} in {@code /proc/self/stat} across its run: the kernel adds
 * a child's user and system time there when the child is reaped (the JDK reaps it before {@code
 * waitFor} returns), grandchildren that it reaped included. So children must be run one at a time.
 */
final class ChildProcess {
  /**
   * Clock ticks per second in {@code /proc}'s times (USER_HZ): 100 on every Linux architecture the
   * JDK runs on.
   */
  static final int TICKS_PER_SECOND = 100;

  /**
   * VmHWM is a high-water mark: polling it misses only what the child adds in its last poll
   * interval.
   */
  private static final long RSS_POLL_MILLIS = 10;

  private ChildProcess() {}

  /**
   * What one run of a child cost. {@code wall} runs from just before the spawn to the exit; {@code
   * peakRssBytes} is the largest VmHWM seen (0 if the child ended before the first poll); a child
   * past its deadline was killed.
   */
  record Measurement(
      Instant spawnedAt,
      Duration wall,
      Duration cpu,
      long peakRssBytes,
      int exitStatus,
      boolean timedOut,
      Path stdout,
      Path stderr) {
    boolean failed() {
      return timedOut || exitStatus != 0;
    }

    /** The last {@code lines} lines the child wrote to stderr. */
    String stderrTail(int lines) {
      try {
        List<String> all = Files.readAllLines(stderr);
        return String.join(
            System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(cannot read " + stderr + ": " + e.getMessage() + ")";
      }
    }
  }

  /**
   * Runs {@code command} to its end or to {@code timeout}, whichever comes first, with stdout and
   * stderr in {@code logs/NAME.stdout} and {@code logs/NAME.stderr} and an empty stdin.
   */
  static Measurement run(List<String> command, Path logs, String name, Duration timeout)
      throws IOException, InterruptedException {
    Path stdout = logs.resolve(name + ".stdout");
    Path stderr = logs.resolve(name + ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    long cpuBefore = childrenCpuTicks(Files.readString(Path.of("/proc/self/stat")));
    Instant spawnedAt = Instant.now();
    long started = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    RssWatch rss = new RssWatch(process);
    rss.start();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    long ended = System.nanoTime();
    if (!exited) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
    rss.interrupt();
    rss.join();
    long cpuTicks = childrenCpuTicks(Files.readString(Path.of("/proc/self/stat"))) - cpuBefore;
    return new Measurement(
        spawnedAt,
        Duration.ofNanos(ended - started),
        Duration.ofMillis(cpuTicks * 1000 / TICKS_PER_SECOND),
        rss.peak(),
        process.exitValue(),
        !exited,
        stdout,
        stderr);
  }

  /**
   * {@code cutime + cstime} (fields 16 and 17 of proc(5)) of a {@code /proc/PID/stat} line, in
   * clock ticks: the CPU time of the process's children that it reaped. Fields are counted after
   * the last ')', since the command name (field 2, in parentheses) may hold spaces and parentheses.
   */
  static long childrenCpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
    int state = 3; // the first field after the command name
    return Long.parseLong(fields[16 - state]) + Long.parseLong(fields[17 - state]);
  }

  /**
   * The peak resident set (VmHWM) of a {@code /proc/PID/status} text in bytes; 0 if absent (a
   * zombie has none).
   */
  static long peakRssBytes(String status) {
    return status
        .lines()
        .filter(line -> line.startsWith("VmHWM:"))
        .findFirst()
        .map(
            line ->
                Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim()) * 1024)
        .orElse(0L);
  }

  /** Polls the child's VmHWM until interrupted, keeping the largest. */
  private static final class RssWatch extends Thread {
    private final Process process;
    private final Path status;
    private final AtomicLong peak = new AtomicLong();

    RssWatch(Process process) {
      super("rss-watch-" + process.pid());
      this.process = process;
      this.status = Path.of("/proc", Long.toString(process.pid()), "status");
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!isInterrupted() && process.isAlive()) {
        try {
          peak.accumulateAndGet(peakRssBytes(Files.readString(status)), Math::max);
        } catch (IOException | UncheckedIOException e) {
          return; // the child is gone and reaped
        }
        try {
          Thread.sleep(RSS_POLL_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    long peak() {
      return peak.get();
    }
  }
}
