package io.instabeam.emulator;

import java.util.List;

/**
 * A public Instagram profile that Business Discovery can be asked about by username. Only
 * professional (business or creator) profiles are served; a personal one answers error 110/2207013,
 * as an unknown username does. {@code media} is newest first, as on the profile's nested media
 * edge.
 */
public record CompetitorProfile(
    String id,
    long igId,
    String username,
    String name,
    String biography,
    String website,
    long followersCount,
    long followsCount,
    String profilePictureUrl,
    boolean professional,
    List<MediaItem> media) {}
