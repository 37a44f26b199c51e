package io.instabeam.transforms;

import java.io.Serializable;

/**
 * A position claimed while reading a media/stories edge: an item's creation second and its id. The
 * edge lists items newest first, so positions are claimed in descending {@code second}.
 */
public record MediaPosition(long second, String id) implements Serializable {
  /**
   * Claimed when the edge has no more pages: below every range, so the claim fails and the range is
   * done.
   */
  public static final MediaPosition END = new MediaPosition(Long.MIN_VALUE, "");
}
