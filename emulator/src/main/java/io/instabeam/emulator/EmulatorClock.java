package io.instabeam.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The emulator's controllable "now". Fixed by default (tests and demo runs are reproducible); with
 * {@code systemClock()} it follows the wall clock (or a test's clock) plus whatever was set or
 * advanced.
 */
public final class EmulatorClock {
  private final Clock wall;
  private Duration offset;
  private Instant fixed;

  private EmulatorClock(Instant fixed, Clock wall) {
    this.fixed = fixed;
    this.wall = wall;
    this.offset = Duration.ZERO;
  }

  static EmulatorClock fixedAt(Instant instant) {
    return new EmulatorClock(instant, null);
  }

  static EmulatorClock following(Clock wall) {
    return new EmulatorClock(null, wall);
  }

  public synchronized Instant now() {
    return wall == null ? fixed : wall.instant().plus(offset);
  }

  public synchronized void set(Instant instant) {
    if (wall == null) {
      fixed = instant;
    } else {
      offset = Duration.between(wall.instant(), instant);
    }
  }

  public synchronized void advance(Duration duration) {
    if (wall == null) {
      fixed = fixed.plus(duration);
    } else {
      offset = offset.plus(duration);
    }
  }
}
