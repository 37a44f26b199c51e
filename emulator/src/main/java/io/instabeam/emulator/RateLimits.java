package io.instabeam.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Business Use Case budgets (one per IG account, as Meta keys them per app and account) and the
 * app-wide budget, all over the same rolling window.
 */
final class RateLimits {
  private final int accountCallsPerWindow;
  private final Duration window;
  private final RateBudget app;
  private final Map<String, RateBudget> accounts = new ConcurrentHashMap<>();

  RateLimits(int accountCallsPerWindow, int appCallsPerWindow, Duration window) {
    this.accountCallsPerWindow = accountCallsPerWindow;
    this.window = window;
    this.app = new RateBudget(appCallsPerWindow, window);
  }

  RateBudget app() {
    return app;
  }

  RateBudget account(String accountId) {
    return accounts.computeIfAbsent(accountId, id -> new RateBudget(accountCallsPerWindow, window));
  }

  Map<String, Usage> accountUsage(Instant now) {
    Map<String, Usage> usage = new TreeMap<>();
    accounts.forEach((id, budget) -> usage.put(id, budget.usage(now)));
    return usage;
  }

  void clear() {
    app.clear();
    accounts.values().forEach(RateBudget::clear);
  }
}
