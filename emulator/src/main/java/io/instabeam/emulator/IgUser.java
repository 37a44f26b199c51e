package io.instabeam.emulator;

import java.time.Instant;

/**
 * An Instagram business account (IG User node). {@code mediaCount} is the number of generated feed
 * media (the API reports the number visible at the current clock). Media posted before {@code
 * businessConversionAt} answer insights with error 100/2108006, as Meta does.
 */
public record IgUser(
    String id,
    long igId,
    String pageId,
    String username,
    String name,
    String biography,
    String website,
    long followersCount,
    long followsCount,
    long mediaCount,
    String profilePictureUrl,
    Instant businessConversionAt) {}
