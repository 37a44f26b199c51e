package io.instabeam.emulator;

import java.time.Instant;

/** What a media item and a carousel album's slide both have, rendered alike. */
interface Post {
  String id();

  String igId();

  String ownerId();

  String username();

  String mediaType();

  String mediaUrl();

  String thumbnailUrl();

  String permalink();

  String shortcode();

  Instant timestamp();
}
