package io.instabeam.transforms;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each account's {@code user_insights} start: an account in the state re-reads from its
 * watermark minus the lookback (Meta corrects insights for about 48 hours); an account new to the
 * state starts at {@code startDate}. Neither goes before {@code startDate}; {@link InsightsWindows}
 * then clamps each metric to what the API retains.
 */
public record UserInsightsPlan(
    Instant now,
    Instant startDate,
    Duration lookback,
    Map<String, Instant> watermarks,
    boolean startDateGiven)
    implements Serializable {
  /**
   * The key of {@link #gaps()} for accounts that are not in the state (they start at {@code
   * startDate}).
   */
  public static final String NEW_ACCOUNTS = "accounts new to the state";

  public UserInsightsPlan {
    watermarks = Map.copyOf(watermarks);
  }

  /**
   * A plan whose {@code startDate} the operator chose (so reaching past retention is worth a
   * warning).
   */
  public UserInsightsPlan(
      Instant now, Instant startDate, Duration lookback, Map<String, Instant> watermarks) {
    this(now, startDate, lookback, watermarks, true);
  }

  public Instant startFor(String businessAccountId) {
    Instant watermark = watermarks.get(businessAccountId);
    return watermark == null ? startDate : max(watermark.minus(lookback), startDate);
  }

  /**
   * Days that were due but that the API no longer serves, per account in the state and for accounts
   * new to it: for a known account, what lies between its watermark and each metric's retention
   * limit (a job paused for longer than the retention); for a new account, what lies between {@code
   * startDate} and that limit.
   */
  public Map<String, List<InsightsWindows.Gap>> gaps() {
    Map<String, List<InsightsWindows.Gap>> gaps = new LinkedHashMap<>();
    new TreeMap<>(watermarks)
        .forEach(
            (account, watermark) -> {
              // The watermark's own day was written; the next point due is a day later.
              Instant firstDue = max(watermark.plus(Duration.ofDays(1)), startDate);
              List<InsightsWindows.Gap> lost = InsightsWindows.gaps(firstDue, now);
              if (!lost.isEmpty()) {
                gaps.put(account, lost);
              }
            });
    // The default start (two years back) means "as far back as the API serves": no warning for new
    // accounts then.
    List<InsightsWindows.Gap> lost =
        startDateGiven ? InsightsWindows.gaps(startDate, now) : List.of();
    if (!lost.isEmpty()) {
      gaps.put(NEW_ACCOUNTS, lost);
    }
    return gaps;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
