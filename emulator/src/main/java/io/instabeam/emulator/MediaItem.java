package io.instabeam.emulator;

import java.time.Instant;
import java.util.List;

/**
 * A feed media item or a story. {@code mediaProductType} is FEED, REELS or AD on the media edge and
 * STORY for stories. Nullable fields ({@code caption}, {@code thumbnailUrl}) are omitted from
 * responses when null, like the real API does. {@code children} is empty unless {@code mediaType}
 * is CAROUSEL_ALBUM.
 */
public record MediaItem(
    String id,
    String igId,
    String ownerId,
    String username,
    String caption,
    String mediaType,
    String mediaProductType,
    String mediaUrl,
    String thumbnailUrl,
    String permalink,
    String shortcode,
    Instant timestamp,
    long likeCount,
    long commentsCount,
    boolean commentEnabled,
    List<CarouselChild> children)
    implements Post {

  public boolean isStory() {
    return "STORY".equals(mediaProductType);
  }

  public boolean isCarousel() {
    return "CAROUSEL_ALBUM".equals(mediaType);
  }

  public boolean isReel() {
    return "REELS".equals(mediaProductType);
  }
}
