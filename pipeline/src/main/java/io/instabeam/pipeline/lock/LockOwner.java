package io.instabeam.pipeline.lock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds a lock, as written in it: one line that an operator can read and a later run can judge,
 * {@code run RUN host HOST pid PID started T expires T}. {@code expires} is the end of the lease;
 * the owner moves it forward while it runs.
 */
record LockOwner(String runId, String host, long pid, Instant started, Instant expires) {
  private static final Pattern LINE =
      Pattern.compile(
          "run ([A-Za-z0-9_-][A-Za-z0-9_.-]*) host (\\S+) pid (\\d+) started (\\S+) expires (\\S+)");

  /** This process, running {@code runId}. */
  static LockOwner thisProcess(String runId, Instant started, Instant expires) {
    return new LockOwner(runId, thisHost(), ProcessHandle.current().pid(), started, expires);
  }

  /**
   * The owner written in a lock, or null if the text is not a lock line (empty, cut short, edited).
   * The run id is used in paths (its staging is removed on takeover), so it may not hold a slash or
   * start with a dot.
   */
  static LockOwner parse(String text) {
    Matcher line = LINE.matcher(text.strip());
    if (!line.matches()) {
      return null;
    }
    try {
      return new LockOwner(
          line.group(1),
          line.group(2),
          Long.parseLong(line.group(3)),
          Instant.parse(line.group(4)),
          Instant.parse(line.group(5)));
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  LockOwner renewedUntil(Instant newExpiry) {
    return new LockOwner(runId, host, pid, started, newExpiry);
  }

  /**
   * Why this owner can no longer be holding the lock at {@code now}, or null if it may still be
   * running: its process is gone (which only this host can tell) or its lease ran out without being
   * renewed.
   */
  String whyGone(Instant now) {
    if (host.equals(thisHost()) && !processAlive()) {
      return "its process (pid " + pid + " on " + host + ") is gone";
    }
    if (now.isAfter(expires)) {
      return "its lease expired at " + expires + " without being renewed";
    }
    return null;
  }

  /**
   * Whether the owner's process still runs. A process with its pid that started after the lock did
   * is another one that was given the same pid (in a container every run is pid 1).
   */
  private boolean processAlive() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(
            process ->
                process.info().startInstant().map(start -> !start.isAfter(started)).orElse(true))
        .orElse(false);
  }

  String line() {
    return "run "
        + runId
        + " host "
        + host
        + " pid "
        + pid
        + " started "
        + started
        + " expires "
        + expires
        + "\n";
  }

  /** For messages: the owner in words. */
  String describe() {
    return "run "
        + runId
        + " on host "
        + host
        + ", pid "
        + pid
        + ", started "
        + started
        + ", lease until "
        + expires;
  }

  private static String thisHost() {
    return Host.NAME;
  }

  /** Looked up once: resolving the host name can take a while where DNS is slow. */
  private static final class Host {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName().replaceAll("\\s", "_");
      } catch (UnknownHostException e) {
        // A name no other host can have: its locks are then judged by their lease alone, never by
        // pid.
        return "unknown-" + java.util.UUID.randomUUID();
      }
    }
  }
}
