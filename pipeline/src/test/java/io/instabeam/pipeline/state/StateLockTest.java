package io.instabeam.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.pipeline.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease that keeps two runs off one state file. */
class StateLockTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aSecondRunIsRefusedWhileTheFirstHoldsTheLease() {
    String state = dir.resolve("state.json").toString();
    try (StateLock first = StateLock.acquire(state, "run-a", NOW)) {
      ConfigException refused = assertThrows(ConfigException.class, () -> StateLock.acquire(state, "run-b", NOW));
      assertTrue(refused.getMessage().contains("another run holds the state lock") && refused.getMessage().contains("run-a"),
          refused.getMessage());
    }
    StateLock.acquire(state, "run-b", NOW).close();
  }

  @Test
  void anExpiredLeaseOfAKilledRunIsTakenOver() {
    String state = dir.resolve("state.json").toString();
    StateLock.acquire(state, "run-killed", NOW); // never closed
    try (StateLock later = StateLock.acquire(state, "run-b", NOW.plus(StateLock.LEASE).plus(Duration.ofMinutes(1)))) {
      assertTrue(Files.exists(Path.of(state + ".lock")));
    }
    assertFalse(Files.exists(Path.of(state + ".lock")));
  }

  @Test
  void releasingDoesNotRemoveALeaseAnotherRunTookOver() throws Exception {
    String state = dir.resolve("state.json").toString();
    StateLock stale = StateLock.acquire(state, "run-a", NOW);
    StateLock.acquire(state, "run-b", NOW.plus(StateLock.LEASE).plus(Duration.ofMinutes(1)));
    stale.close();
    assertTrue(Files.readString(Path.of(state + ".lock")).startsWith("run run-b "));
  }

  @Test
  void aStateFolderThatDoesNotExistIsAClearConfigError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> StateLock.acquire(dir.resolve("missing/state.json").toString(), "run-a", NOW));
    assertTrue(e.getMessage().contains("folder exists"), e.getMessage());
  }
}
