package io.instabeam.emulator;

import java.time.Instant;

/**
 * A comment on a feed media item, or a reply to one ({@code parentId} is the comment replied to).
 * Replies are not listed on the media's comments edge, only on their comment's {@code replies}
 * edge, as on the real API.
 */
public record Comment(
    String id,
    String mediaId,
    String parentId,
    String text,
    Instant timestamp,
    String username,
    String fromId,
    long likeCount,
    boolean hidden) {

  public boolean isReply() {
    return parentId != null;
  }
}
