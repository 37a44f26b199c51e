package io.instabeam.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one user access token a host of the emulator accepts, its granted permissions and its expiry:
 * a Facebook-Login token on the Facebook host, an Instagram-Login token ({@code IGAA…}, the token
 * of one Instagram account) on the Instagram host. An Instagram-Login token can be refreshed, which
 * replaces it by a new one valid for 60 days.
 */
final class AccessGrant {
  /** The Facebook-Login permissions the job needs, granted by default. */
  static final List<String> ALL_PERMISSIONS =
      List.of(
          "instagram_basic",
          "instagram_manage_insights",
          "pages_show_list",
          "pages_read_engagement",
          "instagram_manage_comments");

  /** Needed to see the Instagram accounts a Business portfolio owns; not granted by default. */
  static final String BUSINESS_MANAGEMENT = "business_management";

  /**
   * The Instagram-Login permissions ("scopes" of Business Login for Instagram), all granted by
   * default.
   */
  static final List<String> INSTAGRAM_PERMISSIONS =
      List.of(
          "instagram_business_basic",
          "instagram_business_manage_insights",
          "instagram_business_manage_comments");

  /**
   * A long-lived token, and a refreshed one, is valid for 60 days (Meta's Refresh Access Token
   * reference).
   */
  static final Duration LONG_LIVED = Duration.ofDays(60);

  /** Meta refreshes only a long-lived token that is at least 24 hours old. */
  static final Duration REFRESHABLE_AFTER = Duration.ofHours(24);

  private volatile String token;
  final String appId;
  final String userId;
  private final Set<String> granted;
  private volatile Instant issuedAt;
  private volatile Instant expiresAt;
  final Instant dataAccessExpiresAt;
  private int refreshes;

  AccessGrant(
      String token,
      String appId,
      String userId,
      Set<String> granted,
      Instant issuedAt,
      Instant expiresAt,
      Instant dataAccessExpiresAt) {
    this.token = token;
    this.appId = appId;
    this.userId = userId;
    this.granted = Collections.synchronizedSet(new LinkedHashSet<>(granted));
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.dataAccessExpiresAt = dataAccessExpiresAt;
  }

  String token() {
    return token;
  }

  /**
   * Replaces the token by a new one valid for {@link #LONG_LIVED} from {@code now} (the old one
   * stops working); {@code seed} makes the new value reproducible.
   */
  synchronized String refresh(Instant now, long seed) {
    if (now.isBefore(issuedAt.plus(REFRESHABLE_AFTER))) {
      // Meta documents the 24-hour rule, not the error it answers; this one is the emulator's.
      throw GraphError.invalidParameter(
          "The access token cannot be refreshed yet: a long-lived token can be "
              + "refreshed once it is at least 24 hours old");
    }
    refreshes++;
    token =
        token.substring(0, Math.min(4, token.length()))
            + Long.toUnsignedString(StableHash.of(seed, "refreshed token", token, refreshes), 36);
    issuedAt = now;
    expiresAt = now.plus(LONG_LIVED);
    return token;
  }

  boolean has(String permission) {
    return granted.contains(permission);
  }

  void revoke(String permission) {
    granted.remove(permission);
  }

  void grant(String permission) {
    granted.add(permission);
  }

  Set<String> granted() {
    synchronized (granted) {
      return Set.copyOf(granted);
    }
  }

  Instant expiresAt() {
    return expiresAt;
  }

  void expireAt(Instant instant) {
    this.expiresAt = instant;
  }

  /** Throws Meta's code-190 errors for a missing, wrong or expired token. */
  void check(String presented, Instant now) {
    if (presented == null || !presented.equals(token)) {
      throw GraphError.invalidToken();
    }
    if (!now.isBefore(expiresAt)) {
      throw GraphError.sessionExpired(expiresAt, now);
    }
  }
}
