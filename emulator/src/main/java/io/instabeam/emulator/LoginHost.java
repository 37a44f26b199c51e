package io.instabeam.emulator;

import java.util.Map;
import java.util.Set;

/**
 * The two hosts of the Instagram API, one per login: with Facebook Login ({@code
 * graph.facebook.com}, the emulator's root) and with Instagram Login ({@code graph.instagram.com},
 * served under {@code /instagram}). Same data; the Instagram-Login host has no pages or Business
 * portfolios ({@code GET /me} is the token's own account), its own permission names, and none of
 * the Facebook-Login-only metrics and fields (Meta's Instagram API with Instagram Login docs).
 */
enum LoginHost {
  FACEBOOK_LOGIN("", Map.of(), Set.of(), Set.of()),
  INSTAGRAM_LOGIN(
      "/instagram",
      Map.of(
          "instagram_basic",
          "instagram_business_basic",
          "instagram_manage_insights",
          "instagram_business_manage_insights",
          "instagram_manage_comments",
          "instagram_business_manage_comments"),
      Set.of("total_likes", "total_comments", "total_views", "link_clicks"),
      Set.of("reposts_count", "saved_count", "shares_count", "business_discovery"));

  /** Where the host's paths start on the emulator's port. */
  final String pathPrefix;

  /**
   * A Facebook-Login permission → the Instagram-Login permission that stands for it on this host.
   */
  private final Map<String, String> permissionNames;

  /**
   * Media insights metrics this host does not serve: asking for one is answered like an unknown
   * metric.
   */
  final Set<String> refusedMetrics;

  /** Fields of IG users and media this host does not have: "Tried accessing nonexisting field". */
  final Set<String> refusedFields;

  LoginHost(
      String pathPrefix,
      Map<String, String> permissionNames,
      Set<String> refusedMetrics,
      Set<String> refusedFields) {
    this.pathPrefix = pathPrefix;
    this.permissionNames = permissionNames;
    this.refusedMetrics = refusedMetrics;
    this.refusedFields = refusedFields;
  }

  String permission(String facebookLoginPermission) {
    return permissionNames.getOrDefault(facebookLoginPermission, facebookLoginPermission);
  }

  /** The host a raw request path is for, {@code /instagram/v25.0/me} → Instagram Login. */
  static LoginHost of(String rawPath) {
    String prefix = INSTAGRAM_LOGIN.pathPrefix;
    return rawPath.equals(prefix) || rawPath.startsWith(prefix + "/")
        ? INSTAGRAM_LOGIN
        : FACEBOOK_LOGIN;
  }

  /** The path below the host's prefix. */
  String pathOf(String rawPath) {
    String path = rawPath.substring(pathPrefix.length());
    return path.isEmpty() ? "/" : path;
  }
}
