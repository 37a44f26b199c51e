package io.instabeam.graph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The call budget of one Instagram account (or of the app), shared by every thread of a worker JVM. It learns the
 * usage from Meta's headers after each call and, once usage reaches the ceiling, holds calls back for as long as it
 * takes that share of the rolling window to age out — so the account is paced before Meta blocks it. After a
 * rate-limit error it waits for {@code estimated_time_to_regain_access}: calling on would only extend the block.
 */
final class RateBudget {
  private static final Map<String, RateBudget> BUDGETS = new ConcurrentHashMap<>();

  private final Semaphore inFlight;
  private long blockedUntilMillis;
  private int lastUsagePercent;

  private RateBudget(int maxConcurrent) {
    this.inFlight = new Semaphore(Math.max(1, maxConcurrent), true);
  }

  /** The budget of {@code scope} (base URL and account id): one per worker JVM, whatever the number of DoFns. */
  static RateBudget of(String scope, int maxConcurrent) {
    return BUDGETS.computeIfAbsent(scope, k -> new RateBudget(maxConcurrent));
  }

  /** Forgets every budget (tests start each run against a fresh emulator). */
  static void resetAll() {
    BUDGETS.clear();
  }

  /** Blocks until a call may go out; returns the milliseconds spent waiting for the budget. */
  long acquire() throws InterruptedException {
    long waited = 0;
    inFlight.acquire();
    while (true) {
      long pause;
      synchronized (this) {
        pause = blockedUntilMillis - System.currentTimeMillis();
      }
      if (pause <= 0) {
        return waited;
      }
      Thread.sleep(pause);
      waited += pause;
    }
  }

  void release() {
    inFlight.release();
  }

  /**
   * Records the usage a response reported (the highest of call count, CPU time and total time, in percent) and
   * paces the next calls when it reached the ceiling.
   */
  synchronized void observeUsage(int usagePercent, int regainAccessMinutes, int ceilingPercent, long windowSeconds) {
    lastUsagePercent = usagePercent;
    long now = System.currentTimeMillis();
    if (regainAccessMinutes > 0) {
      blockedUntilMillis = Math.max(blockedUntilMillis, now + regainAccessMinutes * 60_000L);
    } else if (usagePercent >= ceilingPercent) {
      // Each percent of usage ages out of the rolling window in window/100: wait until we are back under the ceiling.
      long pause = (usagePercent - ceilingPercent + 1) * windowSeconds * 10L;
      blockedUntilMillis = Math.max(blockedUntilMillis, now + pause);
    }
  }

  /** After a rate-limit error: no call for this scope before {@code pauseMillis} from now. */
  synchronized void block(long pauseMillis) {
    blockedUntilMillis = Math.max(blockedUntilMillis, System.currentTimeMillis() + pauseMillis);
  }

  synchronized int lastUsagePercent() {
    return lastUsagePercent;
  }
}
