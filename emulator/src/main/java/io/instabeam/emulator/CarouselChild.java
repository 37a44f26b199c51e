package io.instabeam.emulator;

import java.time.Instant;

/**
 * One slide of a carousel album: its own media id, IMAGE or VIDEO, same timestamp as its parent, no
 * insights.
 */
public record CarouselChild(
    String id,
    String igId,
    String parentId,
    String ownerId,
    String username,
    String mediaType,
    String mediaUrl,
    String thumbnailUrl,
    String permalink,
    String shortcode,
    Instant timestamp)
    implements Post {}
