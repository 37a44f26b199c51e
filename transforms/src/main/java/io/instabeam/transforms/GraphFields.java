package io.instabeam.transforms;

import java.util.List;

/**
 * The fields and metrics instabeam requests, in one place. They are Airbyte's (so the records match), except that
 * carousel children and their fields are expanded inside the media request instead of one call per child.
 */
public final class GraphFields {
  public static final String ACCOUNTS = "id,instagram_business_account";

  public static final String USER =
      "id,biography,ig_id,followers_count,follows_count,media_count,name,profile_picture_url,username,website";

  static final String CHILD =
      "id,ig_id,media_type,media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username";

  public static final String MEDIA = "caption,comments_count,id,ig_id,is_comment_enabled,like_count,media_type,"
      + "media_product_type,media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username,"
      + "children{" + CHILD + "}";

  public static final String STORIES = "caption,id,ig_id,like_count,media_type,media_product_type,media_url,owner,"
      + "permalink,shortcode,thumbnail_url,timestamp,username";

  /** Page size of the media, stories and accounts edges (Meta caps them at 100). */
  public static final int PAGE_SIZE = 100;

  public static final String STORY_INSIGHTS_METRICS = "reach,replies,follows,profile_visits,shares,total_interactions";

  public static final List<String> DEMOGRAPHIC_BREAKDOWNS = List.of("city", "country", "age,gender");

  private GraphFields() {}

  /** Airbyte's media insights metrics for a media item, by product type and media type; the first match wins. */
  public static String mediaInsightsMetrics(String mediaType, String productType) {
    if ("REELS".equals(productType)) {
      return "comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares";
    }
    if ("VIDEO".equals(mediaType) && "FEED".equals(productType)) {
      return "reach,saved";
    }
    if ("VIDEO".equals(mediaType)) {
      return "reach,saved,likes,comments,shares,follows,profile_visits";
    }
    if ("CAROUSEL_ALBUM".equals(mediaType)) {
      return "reach,saved,shares,follows,profile_visits";
    }
    return "reach,saved,likes,comments,shares,follows,profile_visits";
  }
}
