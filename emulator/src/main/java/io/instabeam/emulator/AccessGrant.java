package io.instabeam.emulator;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The one user access token the emulator accepts, its granted permissions and its expiry. */
final class AccessGrant {
  static final List<String> ALL_PERMISSIONS =
      List.of("instagram_basic", "instagram_manage_insights", "pages_show_list", "pages_read_engagement",
          "instagram_manage_comments");

  final String token;
  final String appId;
  final String userId;
  private final Set<String> granted;
  private volatile Instant expiresAt;
  final Instant dataAccessExpiresAt;

  AccessGrant(String token, String appId, String userId, Set<String> granted, Instant expiresAt,
      Instant dataAccessExpiresAt) {
    this.token = token;
    this.appId = appId;
    this.userId = userId;
    this.granted = Collections.synchronizedSet(new LinkedHashSet<>(granted));
    this.expiresAt = expiresAt;
    this.dataAccessExpiresAt = dataAccessExpiresAt;
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
