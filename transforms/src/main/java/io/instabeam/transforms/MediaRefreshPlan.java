package io.instabeam.transforms;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What an incremental run reads of an account's media (or stories) and which of them get their
 * insights read again, from what the last committed runs read (the state). Insights settle within
 * days of posting, so:
 *
 * <ul>
 *   <li>items: the ones posted since the account's newest item minus the lookback, and every item
 *       younger than the {@code refreshWindow} (their likes, comments and expiring {@code
 *       media_url} keep changing);
 *   <li>insights: every item younger than the {@code refreshWindow} on every run; an older one when
 *       its {@code like_count} or {@code comments_count} moved since the last run (the media page
 *       says so for free) and in a rotation: each older item has a day slot (a stable hash of its
 *       id modulo {@code insightsMaxAge} in days) and is read on the first run on or after its slot
 *       day, so it is read at least every {@code insightsMaxAge} (given daily runs) and the reads
 *       spread evenly over the days. Items past Meta's two-year insights retention answer no data,
 *       so once read they are not asked again.
 * </ul>
 *
 * An account that the state does not know is read whole, as a full refresh would.
 *
 * @param now the run's time
 * @param lookback how far before an account's newest item the items are read again
 * @param refreshWindow items younger than this are read again, with their insights, on every run
 * @param insightsMaxAge the staleness bound of the insights of older items
 * @param itemsIncremental whether the items stream is incremental (else every item is published)
 * @param insightsIncremental whether the insights stream is incremental (else every item's insights
 *     are read)
 * @param newestItems per account, the newest item's creation time that the last runs published
 * @param insightsRead per account, when the last run read insights and the engagement each item had
 *     then
 */
public record MediaRefreshPlan(
    Instant now,
    Duration lookback,
    Duration refreshWindow,
    Duration insightsMaxAge,
    boolean itemsIncremental,
    boolean insightsIncremental,
    Map<String, Instant> newestItems,
    Map<String, InsightsRead> insightsRead)
    implements Serializable {
  /** Meta keeps media insights for two years; older media answer an empty data set. */
  public static final Duration INSIGHTS_RETENTION = Duration.ofDays(730);

  /**
   * One account's insights cursor: when the last run read insights, and each item's engagement
   * then, as {@link #engagement(long, long)} gives it.
   */
  public record InsightsRead(Instant readAt, Map<String, String> engagement)
      implements Serializable {
    public InsightsRead {
      engagement = Map.copyOf(engagement);
    }
  }

  /** What to do with one item that was read. */
  public record Decision(boolean publish, boolean readInsights) {}

  public MediaRefreshPlan {
    newestItems = Map.copyOf(newestItems);
    insightsRead = Map.copyOf(insightsRead);
  }

  /** Every item read, published and given insights: today's full refresh. */
  public static MediaRefreshPlan fullRefresh(Instant now) {
    return new MediaRefreshPlan(
        now, Duration.ZERO, Duration.ZERO, Duration.ofDays(1), false, false, Map.of(), Map.of());
  }

  public boolean isFullRefresh() {
    return !itemsIncremental && !insightsIncremental;
  }

  /** An item's engagement as the state keeps it: {@code likes,comments}. */
  public static String engagement(long likes, long comments) {
    return likes + "," + comments;
  }

  /**
   * The part of an account's edge to read: all of it when insights are incremental (the pages tell
   * which older items moved) or the account is new to the state; else from the newest item minus
   * the lookback or the refresh window, whichever reaches further back.
   */
  public MediaTimeRange readRange(String account) {
    Instant since = itemsSince(account);
    return insightsIncremental || since == null
        ? MediaTimeRange.all()
        : MediaTimeRange.of(
            Math.max(since.getEpochSecond(), MediaTimeRange.FLOOR), MediaTimeRange.OPEN);
  }

  /**
   * Where the published items start for an account the state knows; null when every item is
   * published.
   */
  private Instant itemsSince(String account) {
    Instant newest = itemsIncremental ? newestItems.get(account) : null;
    if (newest == null) {
      return null;
    }
    Instant sinceNewest = newest.minus(lookback);
    Instant young = now.minus(refreshWindow);
    return sinceNewest.isBefore(young) ? sinceNewest : young;
  }

  /**
   * Publish and/or read the insights of the item {@code id} of {@code account}, created at {@code
   * created}.
   */
  public Decision decide(String account, String id, Instant created, String engagement) {
    InsightsRead last = insightsRead.get(account);
    boolean moved = last != null && !engagement.equals(last.engagement().get(id));
    Instant since = itemsSince(account);
    boolean publish = since == null || !created.isBefore(since) || moved;
    return new Decision(
        publish, !insightsIncremental || last == null || moved || insightsDue(id, created, last));
  }

  private boolean insightsDue(String id, Instant created, InsightsRead last) {
    if (created.isAfter(now.minus(refreshWindow))) {
      return true;
    }
    if (created.isBefore(last.readAt().minus(INSIGHTS_RETENTION))) {
      return false; // Meta had no data for it at the last read already, and never will again
    }
    long days = Math.max(1, insightsMaxAge.toDays());
    long today = Math.floorDiv(now.getEpochSecond(), 86_400);
    long lastDay = Math.floorDiv(last.readAt().getEpochSecond(), 86_400);
    // Due when its slot day came up since the last run: every run on or after it reads it, whatever
    // days were missed.
    return Math.floorMod(today - slot(id, days), days) < today - lastDay;
  }

  /**
   * The item's day slot in the rotation: a stable hash of its id, so the same items are due on the
   * same days.
   */
  static long slot(String id, long days) {
    long h = id.hashCode() * 0x9E3779B97F4A7C15L;
    return Math.floorMod(h ^ (h >>> 29), days);
  }
}
