package io.instabeam.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A ticker that stands still until it is slept or waited on, and then moves forward by exactly that
 * long at once. {@code onAdvance} moves the emulator's clock along with it, so that the client and
 * the emulator count the same time: Meta's one-hour window passes in no time, and every wait is
 * exact.
 */
final class FakeTicker implements Ticker {
  private final Instant start;
  private final Consumer<Duration> onAdvance;
  private long millis;

  FakeTicker(Instant start, Consumer<Duration> onAdvance) {
    this.start = start;
    this.onAdvance = onAdvance;
    this.millis = start.toEpochMilli();
  }

  @Override
  public synchronized long millis() {
    return millis;
  }

  @Override
  public void sleep(long millis) {
    advance(Duration.ofMillis(millis));
  }

  @Override
  public void await(Object monitor, long millis) {
    advance(Duration.ofMillis(millis));
  }

  /** How long the ticker has moved since it started. */
  synchronized Duration elapsed() {
    return Duration.ofMillis(millis - start.toEpochMilli());
  }

  void advance(Duration duration) {
    synchronized (this) {
      millis += duration.toMillis();
    }
    onAdvance.accept(duration);
  }
}
