package io.instabeam.transforms;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The restriction of the media/stories splittable DoFn: the items of one account whose creation
 * time (unix seconds) lies in {@code [since, until)}. The media edge lists items newest first and
 * accepts {@code since}/{@code until}, so a range is read by one request chain and ranges of one
 * account can be read by different workers at once.
 *
 * <p>Timestamps have one-second resolution, so several items can share a second. A checkpoint taken
 * in the middle of such a tie must not lose or repeat an item; the two optional id sets say who
 * owns the items exactly on a boundary: {@code sinceOnly} (non-null) limits the items at {@code
 * since} to those ids (the ones the primary has already read), and {@code untilAlsoExcept}
 * (non-null) adds the items at {@code until} except those ids (the residual reads the rest of the
 * tie). Ranges made by splitting on whole seconds leave both null.
 *
 * @param since first second covered (inclusive)
 * @param until end of the range (exclusive), {@link #OPEN} for "up to now, whenever that is read"
 * @param sinceOnly if non-null, the only items at exactly {@code since} that this range covers
 * @param untilAlsoExcept if non-null, items at exactly {@code until} are covered too, except these
 */
public record MediaTimeRange(
    long since, long until, Set<String> sinceOnly, Set<String> untilAlsoExcept)
    implements Serializable {
  /**
   * Instagram launched on 2010-10-06: nothing on the media edge is older, so no {@code since} is
   * needed below it.
   */
  public static final long FLOOR = Instant.parse("2010-10-06T00:00:00Z").getEpochSecond();

  /**
   * The open upper end: the newest range asks without {@code until}, so media posted during the run
   * are not cut.
   */
  public static final long OPEN = Long.MAX_VALUE;

  public MediaTimeRange {
    sinceOnly = sinceOnly == null ? null : new TreeSet<>(sinceOnly);
    untilAlsoExcept = untilAlsoExcept == null ? null : new TreeSet<>(untilAlsoExcept);
  }

  /** Every item of the account. */
  public static MediaTimeRange all() {
    return of(FLOOR, OPEN);
  }

  /** The half-open range {@code [since, until)}. */
  public static MediaTimeRange of(long since, long until) {
    return new MediaTimeRange(since, until, null, null);
  }

  /** Whether an item created at {@code second} with id {@code id} belongs to this range. */
  public boolean covers(long second, String id) {
    boolean fromSince =
        second > since || (second == since && (sinceOnly == null || sinceOnly.contains(id)));
    boolean toUntil =
        second < until
            || (second == until && untilAlsoExcept != null && !untilAlsoExcept.contains(id));
    return fromSince && toUntil;
  }

  /**
   * Whether an item lies above this range (newer, or on the upper boundary but owned by the range
   * above). The edge is requested with a one-second margin on both sides, so such items are
   * expected and skipped; items below the range end the read.
   */
  public boolean isAbove(long second, String id) {
    return second > until
        || (second == until && (untilAlsoExcept == null || untilAlsoExcept.contains(id)));
  }

  /** True when no item can be in the range. */
  public boolean isEmpty() {
    if (since > until) {
      return true;
    }
    if (since < until) {
      return false;
    }
    // since == until: only the tie second itself, which needs both ends to admit someone
    return untilAlsoExcept == null || (sinceOnly != null && untilAlsoExcept.containsAll(sinceOnly));
  }

  /**
   * The {@code since} parameter for the media edge, or null when none is needed. It is one second
   * early: Meta does not document whether {@code since} is inclusive, so the request is widened and
   * {@link #covers} decides.
   */
  public String sinceParameter() {
    return since <= FLOOR ? null : Long.toString(since - 1);
  }

  /**
   * The {@code until} parameter, one second late for the same reason (and to include a tie at
   * {@code until}).
   */
  public String untilParameter() {
    return until == OPEN ? null : Long.toString(until + 1);
  }

  /**
   * The initial split of a whole account: one range per {@code period} back from {@code anchor},
   * newest first, the last one taking everything older, at most {@code maxRanges} ranges.
   * Boundaries are whole seconds, so each item falls in exactly one range: its own second's.
   */
  public List<MediaTimeRange> splitByPeriod(Instant anchor, Duration period, int maxRanges) {
    List<MediaTimeRange> ranges = new ArrayList<>();
    long upper = until;
    Set<String> upperExcept = untilAlsoExcept;
    for (int i = 1; i < maxRanges; i++) {
      long cut = anchor.getEpochSecond() - i * period.getSeconds();
      if (cut > since && cut < until) {
        ranges.add(new MediaTimeRange(cut, upper, null, upperExcept));
        upper = cut;
        upperExcept = null;
      }
    }
    ranges.add(new MediaTimeRange(since, upper, sinceOnly, upperExcept));
    return ranges;
  }

  @Override
  public String toString() {
    return "["
        + Instant.ofEpochSecond(since)
        + (sinceOnly == null ? "" : " only " + sinceOnly)
        + ", "
        + (until == OPEN ? "open" : Instant.ofEpochSecond(until).toString())
        + (untilAlsoExcept == null ? ")" : "] except " + untilAlsoExcept);
  }
}
