package io.instabeam.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A rolling-window call budget (one per IG account, one for the app). A call is allowed while fewer
 * than {@code callsPerWindow} calls were made in the window; every call is recorded, including
 * refused ones, because Meta says "continuing to make calls will continue to increase your call
 * count".
 */
final class RateBudget {
  /**
   * Percentages for unlimited budgets are reported against this nominal size: Meta's formula (4,800
   * calls × daily impressions) for an account with 1,000 impressions. Smaller, it would report
   * usage near 100% on big demo runs (the default clock stands still, so calls never age out) and a
   * well-behaved client would wait for hours.
   */
  static final int NOMINAL_CALLS = 4_800_000;

  private final int callsPerWindow;
  private final Duration window;
  private final ArrayDeque<Instant> calls = new ArrayDeque<>();

  RateBudget(int callsPerWindow, Duration window) {
    this.callsPerWindow = callsPerWindow;
    this.window = window;
  }

  /** Records one call at {@code now}; returns false when the budget was already used up. */
  synchronized boolean charge(Instant now) {
    prune(now);
    boolean allowed = callsPerWindow == 0 || calls.size() < callsPerWindow;
    calls.addLast(now);
    return allowed;
  }

  synchronized Usage usage(Instant now) {
    prune(now);
    int count = calls.size();
    int size = callsPerWindow == 0 ? NOMINAL_CALLS : callsPerWindow;
    int pct = (int) (count * 100L / size);
    return new Usage(pct, pct * 3 / 5, pct * 4 / 5, minutesToRegain(now));
  }

  synchronized void clear() {
    calls.clear();
  }

  /**
   * Minutes (rounded up, at least 1) until the window has room again; 0 when a call would be
   * allowed now.
   */
  private int minutesToRegain(Instant now) {
    if (callsPerWindow == 0 || calls.size() < callsPerWindow) {
      return 0;
    }
    int index = calls.size() - callsPerWindow;
    Iterator<Instant> it = calls.iterator();
    Instant oldestBlocking = it.next();
    for (int i = 0; i < index; i++) {
      oldestBlocking = it.next();
    }
    long seconds = Duration.between(now, oldestBlocking.plus(window)).getSeconds();
    return (int) Math.max(1, (seconds + 59) / 60);
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(window);
    while (!calls.isEmpty() && !calls.peekFirst().isAfter(cutoff)) {
      calls.removeFirst();
    }
  }
}
