package io.instabeam.transforms;

import java.util.List;

/**
 * A claim of a page's items at once, newest first: {@link MediaTimeRangeTracker} claims them in
 * order up to the first it cannot claim (below the range, or given away by a split meanwhile) and
 * records how many it claimed. The claim succeeds when at least one item was claimed; the reader
 * outputs exactly those and stops if any is left.
 */
public final class PageClaim {
  private final List<MediaPosition> items;
  private int claimed;

  public PageClaim(List<MediaPosition> items) {
    this.items = List.copyOf(items);
  }

  public static PageClaim of(MediaPosition item) {
    return new PageClaim(List.of(item));
  }

  /** Claimed when the edge has no more pages: fails, and the range is done. */
  public static PageClaim end() {
    return of(MediaPosition.END);
  }

  List<MediaPosition> items() {
    return items;
  }

  void claimedOneMore() {
    claimed++;
  }

  /** How many of the items, from the first, the tracker claimed. */
  public int claimed() {
    return claimed;
  }

  public boolean claimedAll() {
    return claimed == items.size();
  }

  @Override
  public String toString() {
    return claimed + " of " + items;
  }
}
