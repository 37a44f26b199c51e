package io.instabeam.transforms;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Tracks the read of one {@link MediaTimeRange}, newest item first. Claims move downwards in time;
 * the range is done when a claim falls below it (an older item, or {@link MediaPosition#END} when
 * the edge ran out). A reader claims a page's items at once ({@link PageClaim}).
 *
 * <p>Splits keep the newer part in the primary, because that is the part already being read:
 *
 * <ul>
 *   <li>a checkpoint ({@code fraction == 0}) after claims at second {@code T} leaves the primary
 *       with what it has claimed, and hands {@code [since, T]} minus the items already read at
 *       {@code T} to the residual, so a tie of items on {@code T} is neither lost nor read twice;
 *   <li>a dynamic split cuts the unread seconds {@code [since, T)} at a whole second strictly below
 *       {@code T}.
 * </ul>
 *
 * Progress is measured in seconds of the range, read from the top.
 */
public final class MediaTimeRangeTracker extends RestrictionTracker<MediaTimeRange, PageClaim>
    implements RestrictionTracker.HasProgress {
  private MediaTimeRange range;

  /** Second of the last successful claim, null before the first. */
  private Long lastClaimed;

  /** Ids claimed at {@link #lastClaimed}: the part of a tie this range has already read. */
  private final Set<String> claimedAtLast = new LinkedHashSet<>();

  private Long lastAttempted;
  private boolean finished;

  public MediaTimeRangeTracker(MediaTimeRange range) {
    this.range = range;
  }

  /**
   * Claims the page's items in order until one cannot be claimed. All in one call, so a split falls
   * between pages or cuts this one where its claims stopped, never between a claim and the output
   * of the item.
   */
  @Override
  public boolean tryClaim(PageClaim page) {
    for (MediaPosition item : page.items()) {
      if (!tryClaim(item)) {
        break;
      }
      page.claimedOneMore();
    }
    return page.claimed() > 0;
  }

  private boolean tryClaim(MediaPosition position) {
    if (lastAttempted != null && position.second() > lastAttempted) {
      // Out of order (Meta documents newest first, but does not promise it for every edge): an item
      // newer than one
      // already read lies in the part of the range this tracker has passed, which no split gives
      // away, so it is
      // ours as long as the range covers it; the position stays where it was.
      return !finished && range.covers(position.second(), position.id());
    }
    lastAttempted = position.second();
    if (finished || !range.covers(position.second(), position.id())) {
      // Below the range (the caller skips items above it): everything left is someone else's.
      finished = true;
      return false;
    }
    if (lastClaimed == null || position.second() < lastClaimed) {
      lastClaimed = position.second();
      claimedAtLast.clear();
    }
    claimedAtLast.add(position.id());
    return true;
  }

  @Override
  public MediaTimeRange currentRestriction() {
    return range;
  }

  @Override
  public SplitResult<MediaTimeRange> trySplit(double fractionOfRemainder) {
    if (finished) {
      return null;
    }
    if (fractionOfRemainder == 0) {
      return checkpoint();
    }
    long top = lastClaimed != null ? lastClaimed : effectiveUntil();
    long cut = top - (long) Math.ceil((top - (double) range.since()) * fractionOfRemainder);
    cut =
        Math.min(
            cut, top - 1); // strictly below the last claimed second: its tie stays with the primary
    if (cut <= range.since()) {
      return null;
    }
    MediaTimeRange primary = new MediaTimeRange(cut, range.until(), null, range.untilAlsoExcept());
    MediaTimeRange residual = new MediaTimeRange(range.since(), cut, range.sinceOnly(), null);
    range = primary;
    return SplitResult.of(primary, residual);
  }

  private SplitResult<MediaTimeRange> checkpoint() {
    if (lastClaimed == null) {
      MediaTimeRange nothing = MediaTimeRange.of(range.since(), range.since());
      MediaTimeRange residual = range;
      range = nothing;
      return SplitResult.of(nothing, residual);
    }
    Set<String> read = new LinkedHashSet<>(claimedAtLast);
    if (lastClaimed == range.until() && range.untilAlsoExcept() != null) {
      read.addAll(range.untilAlsoExcept()); // read at that second before an earlier checkpoint
    }
    MediaTimeRange residual =
        new MediaTimeRange(range.since(), lastClaimed, range.sinceOnly(), read);
    if (residual.isEmpty()) {
      return null;
    }
    MediaTimeRange primary =
        new MediaTimeRange(lastClaimed, range.until(), read, range.untilAlsoExcept());
    range = primary;
    return SplitResult.of(primary, residual);
  }

  @Override
  public void checkDone() throws IllegalStateException {
    if (!finished && !range.isEmpty()) {
      throw new IllegalStateException(
          "the read of "
              + range
              + " stopped at second "
              + lastAttempted
              + " before reaching the end of its range (no claim failed)");
    }
  }

  @Override
  public IsBounded isBounded() {
    return IsBounded.BOUNDED;
  }

  @Override
  public Progress getProgress() {
    long top = effectiveUntil();
    long reached = lastClaimed != null ? lastClaimed : top;
    double done = Math.max(0, top - reached);
    double left = finished ? 0 : Math.max(0, reached - range.since());
    return Progress.from(done, left);
  }

  /** The upper end in seconds; an open range ends now. */
  private long effectiveUntil() {
    return range.until() == MediaTimeRange.OPEN
        ? Math.max(range.since(), Instant.now().getEpochSecond())
        : range.until();
  }
}
