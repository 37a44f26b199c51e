package io.instabeam.graph;

/**
 * The time the Graph API client and its rate budgets read and wait on: every retry backoff,
 * rate-limit block and pacing wait goes through it. Production runs on {@link #SYSTEM}; a test
 * passes a fake one that moves forward by exactly as long as it is slept or waited on, so pacing
 * takes no real time and its waits can be asserted exactly. (The deadline of one HTTP request stays
 * on real time: it guards a real socket.)
 */
interface Ticker {
  /** The wall clock, with real sleeps and waits. */
  Ticker SYSTEM = new SystemTicker();

  /** Milliseconds since the epoch. */
  long millis();

  /** Sleeps {@code millis}. */
  void sleep(long millis) throws InterruptedException;

  /**
   * Waits on {@code monitor}, whose lock the caller holds, for {@code millis} at most or until it
   * is notified.
   */
  void await(Object monitor, long millis) throws InterruptedException;

  /** {@link #SYSTEM}. */
  final class SystemTicker implements Ticker {
    private SystemTicker() {}

    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }

    @Override
    public void await(Object monitor, long millis) throws InterruptedException {
      monitor.wait(millis);
    }
  }
}
