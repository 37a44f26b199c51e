package io.instabeam.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path logs;

  @Test
  void readsTheReapedChildrensCpuTicksAfterACommandNameWithSpacesAndParentheses() {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    // utime stime
    // cutime cstime ...
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 200 3 4 55 66 1234 567 20 0 30 0 1 2 3\n";
    assertEquals(1234 + 567, ChildProcess.childrenCpuTicks(stat));
  }

  @Test
  void readsThePeakResidentSetInBytesAndNothingFromAZombie() {
    String status = "Name:\tjava\nVmPeak:\t 9999999 kB\nVmHWM:\t  531200 kB\nVmRSS:\t  500000 kB\n";
    assertEquals(531_200L * 1024, ChildProcess.peakRssBytes(status));
    assertEquals(0, ChildProcess.peakRssBytes("Name:\tjava\nState:\tZ (zombie)\n"));
  }

  @Test
  void aChildPastItsDeadlineIsKilledAndReported() throws Exception {
    ChildProcess.Measurement m =
        ChildProcess.run(List.of("sleep", "60"), logs, "hang", Duration.ofSeconds(1));

    assertTrue(m.timedOut());
    assertTrue(m.failed());
  }

  @Test
  void aFailingChildsExitStatusAndStderrAreKept() throws Exception {
    ChildProcess.Measurement m =
        ChildProcess.run(
            List.of("sh", "-c", "echo first >&2; echo boom >&2; exit 3"),
            logs,
            "fail",
            Duration.ofSeconds(60));

    assertFalse(m.timedOut());
    assertEquals(3, m.exitStatus());
    assertEquals("boom", m.stderrTail(1));
  }
}
