package io.instabeam.transforms;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Where each account's {@code user_insights} start: an account in the state re-reads from its watermark minus the
 * lookback (Meta corrects insights for about 48 hours); an account new to the state starts at {@code startDate}.
 */
public record UserInsightsPlan(Instant now, Instant startDate, Duration lookback, Map<String, Instant> watermarks)
    implements Serializable {

  public UserInsightsPlan {
    watermarks = Map.copyOf(watermarks);
  }

  public Instant startFor(String businessAccountId) {
    Instant watermark = watermarks.get(businessAccountId);
    return watermark == null ? startDate : max(watermark.minus(lookback), startDate);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
