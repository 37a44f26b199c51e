package io.instabeam.emulator;

/** Endpoint kind names used in stats and recorded requests. */
final class EndpointKind {
  private EndpointKind() {}

  static final String ME_ACCOUNTS = "me/accounts";
  static final String ME_PERMISSIONS = "me/permissions";
  static final String DEBUG_TOKEN = "debug_token";
  static final String REFRESH_TOKEN = "refresh_access_token";
  static final String BUSINESS_ACCOUNTS = "business/owned_instagram_accounts";
  static final String PAGE = "page";
  static final String USER = "user";
  static final String USER_MEDIA = "user/media";
  static final String USER_STORIES = "user/stories";
  static final String USER_INSIGHTS = "user/insights";
  static final String MEDIA = "media";
  static final String MEDIA_INSIGHTS = "media/insights";
  static final String BUSINESS_DISCOVERY = "user/business_discovery";
  static final String USER_TAGS = "user/tags";
  static final String USER_COLLABORATIVE_MEDIA = "user/collaborative_media";
  static final String MEDIA_COMMENTS = "media/comments";
  static final String COMMENT = "comment";
  static final String COMMENT_REPLIES = "comment/replies";
  static final String BATCH = "batch";
  static final String IDS = "ids";
  static final String UNKNOWN = "unknown";
}
