package io.instabeam.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every metric table of the emulator in one place: which media insight metrics each product type accepts
 * (Meta's table, GRAPH-API-FACTS C.4), which were deprecated, which account metrics accept which periods, and
 * the titles/descriptions Meta puts next to the values.
 */
final class MetricCatalog {
  private MetricCatalog() {}

  private static final Set<String> FEED = Set.of(
      "views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "reposts", "follows",
      "profile_visits", "profile_activity");

  /**
   * Media insight metrics per product type. AD media take FEED's set minus {@code views}: Airbyte had to revert
   * {@code views} because Meta answered "does not support the views metric for this media product type" for
   * some media (PR 62902); the emulator places that rejection on AD media.
   */
  static final Map<String, Set<String>> MEDIA_METRICS = Map.of(
      "FEED", FEED,
      "AD", Set.of("reach", "likes", "comments", "saved", "shares", "total_interactions", "reposts", "follows",
          "profile_visits", "profile_activity"),
      "REELS", Set.of("views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "reposts",
          "ig_reels_avg_watch_time", "ig_reels_video_view_total_time", "reels_skip_rate", "crossposted_views"),
      "STORY", Set.of("views", "reach", "shares", "total_interactions", "reposts", "follows", "profile_visits",
          "profile_activity", "navigation", "replies"));

  /** Removed by Meta in v21/v22 (and for all versions since 2025-04-21). */
  static final Set<String> DEPRECATED_MEDIA_METRICS = Set.of(
      "impressions", "plays", "clips_replays_count", "ig_reels_aggregated_all_plays_count", "video_views");

  static final List<String> ALL_MEDIA_METRICS = List.of(
      "views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "reposts", "follows",
      "profile_visits", "profile_activity", "navigation", "replies", "ig_reels_avg_watch_time",
      "ig_reels_video_view_total_time", "reels_skip_rate", "crossposted_views");

  /** Account insight metrics the emulator serves and the periods each accepts. */
  static final Map<String, Set<String>> ACCOUNT_METRIC_PERIODS = new LinkedHashMap<>();

  static {
    ACCOUNT_METRIC_PERIODS.put("reach", Set.of("day", "week", "days_28"));
    ACCOUNT_METRIC_PERIODS.put("follower_count", Set.of("day"));
    ACCOUNT_METRIC_PERIODS.put("online_followers", Set.of("lifetime"));
    ACCOUNT_METRIC_PERIODS.put("follower_demographics", Set.of("lifetime"));
  }

  /** Account metrics removed in v18 (audience_*), v21 (*_clicks, profile_views) and v22 (impressions). */
  static final Set<String> REMOVED_ACCOUNT_METRICS = Set.of(
      "impressions", "profile_views", "email_contacts", "get_directions_clicks", "phone_call_clicks",
      "text_message_clicks", "website_clicks", "audience_city", "audience_country", "audience_gender_age",
      "audience_locale");

  static final List<String> PERIODS = List.of("day", "week", "days_28", "month", "lifetime", "total_over_range");

  /** Account metrics that Meta serves only for the last 30 days excluding the current day. */
  static final Set<String> THIRTY_DAY_METRICS = Set.of("follower_count", "online_followers");

  static final Set<String> DEMOGRAPHIC_DIMENSIONS = Set.of("age", "gender", "city", "country");

  /** Title and description shown next to a media metric; the wording depends on the kind of media. */
  static String[] mediaTitle(String metric, MediaItem item) {
    String noun = item.isReel() ? "reel" : item.isStory() ? "story" : "VIDEO".equals(item.mediaType()) ? "video" : "post";
    switch (metric) {
      case "reach": return pair("Reach", "The number of unique accounts that viewed your " + noun + ".");
      case "views": return pair("Views", "The number of times your " + noun + " was played or displayed.");
      case "likes": return pair("Likes", "The number of likes on your " + noun + ".");
      case "comments": return pair("Comments", "The number of comments on your " + noun + ".");
      case "saved": return pair("Saves", "The number of saves of your " + noun + ".");
      case "shares": return pair("Shares", "The number of shares of your " + noun + ".");
      case "reposts": return pair("Reposts", "The number of times your " + noun + " was reposted.");
      case "total_interactions":
        return pair("Interactions", "The number of likes, saves, comments and shares on your " + noun + ", minus the number of unlikes, unsaves and deleted comments.");
      case "follows": return pair("Follows", "The number of accounts that started following you.");
      case "profile_visits": return pair("Profile visits", "The number of times your profile was visited.");
      case "profile_activity": return pair("Profile activity", "The number of actions people take when they visit your profile after engaging with your " + noun + ".");
      case "navigation": return pair("Navigation", "The total number of actions taken from your story, such as tapping forward, tapping back, exiting and swiping forward.");
      case "replies": return pair("Replies", "The number of replies to your story.");
      case "ig_reels_avg_watch_time": return pair("Average Watch Time", "The average watch time of your reel in milliseconds.");
      case "ig_reels_video_view_total_time": return pair("Total View Time", "The total view time of your reel in milliseconds.");
      case "reels_skip_rate": return pair("Skip rate", "The percentage of views in which your reel was skipped in the first 3 seconds.");
      case "crossposted_views": return pair("Crossposted views", "The number of views of your reel on Facebook and Instagram.");
      default: return pair(metric, metric);
    }
  }

  static String[] accountTitle(String metric, String period) {
    switch (metric) {
      case "reach":
        return pair("Reach", "day".equals(period) ? "Total number of times the Business Account's media objects have been uniquely viewed"
            : "Total number of times the Business Account's media objects have been uniquely viewed over the " + ("week".equals(period) ? "week" : "last 28 days"));
      case "follower_count": return pair("Follower Count", "Total number of unique accounts following this profile");
      case "online_followers": return pair("Online Followers", "Total number of this profile's followers that were online during the specified range");
      case "follower_demographics": return pair("Follower demographics", "The demographic characteristics of followers, including countries, cities and gender distribution.");
      default: return pair(metric, metric);
    }
  }

  private static String[] pair(String title, String description) {
    return new String[] {title, description};
  }
}
