package io.instabeam.emulator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every metric table of the emulator in one place: which media insight metrics each product type
 * accepts (the table of Meta's media insights reference, as of 2026-09), which were deprecated,
 * which account metrics accept which periods, metric types and breakdowns, the demographics'
 * timeframes, and the titles/descriptions Meta puts next to the values.
 */
final class MetricCatalog {
  private MetricCatalog() {}

  private static Set<String> without(Set<String> metrics, String metric) {
    Set<String> rest = new HashSet<>(metrics);
    rest.remove(metric);
    return Set.copyOf(rest);
  }

  private static final Set<String> FEED =
      Set.of(
          "views",
          "reach",
          "likes",
          "comments",
          "saved",
          "shares",
          "total_interactions",
          "reposts",
          "follows",
          "profile_visits",
          "profile_activity",
          "facebook_views",
          "total_likes",
          "total_comments",
          "total_views");

  /**
   * Media insight metrics per product type (Meta's media insights reference, 2026-09). AD media
   * take FEED's set minus {@code views}: Airbyte had to revert {@code views} because Meta answered
   * "does not support the views metric for this media product type" for some media (PR 62902); the
   * emulator places that rejection on AD media.
   */
  static final Map<String, Set<String>> MEDIA_METRICS =
      Map.of(
          "FEED", FEED,
          "AD", without(FEED, "views"),
          "REELS",
              Set.of(
                  "views",
                  "reach",
                  "likes",
                  "comments",
                  "saved",
                  "shares",
                  "total_interactions",
                  "reposts",
                  "ig_reels_avg_watch_time",
                  "ig_reels_video_view_total_time",
                  "reels_skip_rate",
                  "crossposted_views",
                  "facebook_views",
                  "total_likes",
                  "total_comments",
                  "total_views"),
          "STORY",
              Set.of(
                  "views",
                  "reach",
                  "shares",
                  "total_interactions",
                  "reposts",
                  "follows",
                  "profile_visits",
                  "profile_activity",
                  "navigation",
                  "replies",
                  "facebook_views",
                  "link_clicks",
                  "total_views"));

  /** Removed by Meta in v21/v22 (and for all versions since 2025-04-21). */
  static final Set<String> DEPRECATED_MEDIA_METRICS =
      Set.of(
          "impressions",
          "plays",
          "clips_replays_count",
          "ig_reels_aggregated_all_plays_count",
          "video_views");

  static final List<String> ALL_MEDIA_METRICS =
      List.of(
          "views",
          "reach",
          "likes",
          "comments",
          "saved",
          "shares",
          "total_interactions",
          "reposts",
          "follows",
          "profile_visits",
          "profile_activity",
          "navigation",
          "replies",
          "ig_reels_avg_watch_time",
          "ig_reels_video_view_total_time",
          "reels_skip_rate",
          "crossposted_views",
          "facebook_views",
          "link_clicks",
          "total_likes",
          "total_comments",
          "total_views");

  /** Account insight metrics the emulator serves and the periods each accepts. */
  static final Map<String, Set<String>> ACCOUNT_METRIC_PERIODS = new LinkedHashMap<>();

  /**
   * Account metrics Meta answers only with {@code metric_type=total_value} (one total for the
   * range), with the breakdowns each accepts; {@code reach} accepts both metric types.
   */
  static final Map<String, Set<String>> TOTAL_VALUE_BREAKDOWNS = new LinkedHashMap<>();

  /** Demographic metrics and the timeframes each accepts (empty: no timeframe). */
  static final Map<String, List<String>> DEMOGRAPHIC_TIMEFRAMES = new LinkedHashMap<>();

  static {
    ACCOUNT_METRIC_PERIODS.put("reach", Set.of("day", "week", "days_28"));
    ACCOUNT_METRIC_PERIODS.put("follower_count", Set.of("day"));
    ACCOUNT_METRIC_PERIODS.put("online_followers", Set.of("lifetime"));
    TOTAL_VALUE_BREAKDOWNS.put("views", Set.of("follower_type", "media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("accounts_engaged", Set.of());
    TOTAL_VALUE_BREAKDOWNS.put("total_interactions", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("likes", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("comments", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("shares", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("saves", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("replies", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("reposts", Set.of("media_product_type"));
    TOTAL_VALUE_BREAKDOWNS.put("follows_and_unfollows", Set.of("follow_type"));
    TOTAL_VALUE_BREAKDOWNS.put("profile_links_taps", Set.of("contact_button_type"));
    TOTAL_VALUE_BREAKDOWNS
        .keySet()
        .forEach(metric -> ACCOUNT_METRIC_PERIODS.put(metric, Set.of("day")));
    DEMOGRAPHIC_TIMEFRAMES.put("follower_demographics", List.of());
    DEMOGRAPHIC_TIMEFRAMES.put("engaged_audience_demographics", List.of("this_week", "this_month"));
    DEMOGRAPHIC_TIMEFRAMES
        .keySet()
        .forEach(metric -> ACCOUNT_METRIC_PERIODS.put(metric, Set.of("lifetime")));
  }

  /** The values of each breakdown dimension of the totals (Meta's lists). */
  static final Map<String, List<String>> BREAKDOWN_VALUES =
      Map.of(
          "follow_type", List.of("FOLLOWER", "NON_FOLLOWER", "UNKNOWN"),
          "follower_type", List.of("FOLLOWER", "NON_FOLLOWER"),
          "contact_button_type",
              List.of(
                  "BOOK_NOW",
                  "CALL",
                  "DIRECTION",
                  "EMAIL",
                  "INSTANT_EXPERIENCE",
                  "TEXT",
                  "UNDEFINED"),
          "media_product_type", List.of("AD", "STORY", "REEL", "CAROUSEL_CONTAINER", "POST"));

  /**
   * Account metrics removed in v18 (audience_*), v21 (*_clicks, profile_views) and v22
   * (impressions).
   */
  static final Set<String> REMOVED_ACCOUNT_METRICS =
      Set.of(
          "impressions",
          "profile_views",
          "email_contacts",
          "get_directions_clicks",
          "phone_call_clicks",
          "text_message_clicks",
          "website_clicks",
          "audience_city",
          "audience_country",
          "audience_gender_age",
          "audience_locale");

  /** Timeframes Meta accepted for demographics before v20; only this_week and this_month remain. */
  static final Set<String> RETIRED_TIMEFRAMES =
      Set.of("last_14_days", "last_30_days", "last_90_days", "prev_month");

  static final List<String> PERIODS =
      List.of("day", "week", "days_28", "month", "lifetime", "total_over_range");

  /** Account metrics that Meta serves only for the last 30 days excluding the current day. */
  static final Set<String> THIRTY_DAY_METRICS = Set.of("follower_count", "online_followers");

  static final Set<String> DEMOGRAPHIC_DIMENSIONS = Set.of("age", "gender", "city", "country");

  /**
   * Title and description shown next to a media metric; the wording depends on the kind of media.
   */
  static String[] mediaTitle(String metric, MediaItem item) {
    String noun =
        item.isReel()
            ? "reel"
            : item.isStory() ? "story" : "VIDEO".equals(item.mediaType()) ? "video" : "post";
    switch (metric) {
      case "reach":
        return pair("Reach", "The number of unique accounts that viewed your " + noun + ".");
      case "views":
        return pair("Views", "The number of times your " + noun + " was played or displayed.");
      case "likes":
        return pair("Likes", "The number of likes on your " + noun + ".");
      case "comments":
        return pair("Comments", "The number of comments on your " + noun + ".");
      case "saved":
        return pair("Saves", "The number of saves of your " + noun + ".");
      case "shares":
        return pair("Shares", "The number of shares of your " + noun + ".");
      case "reposts":
        return pair("Reposts", "The number of times your " + noun + " was reposted.");
      case "total_interactions":
        return pair(
            "Interactions",
            "The number of likes, saves, comments and shares on your "
                + noun
                + ", minus the number of unlikes, unsaves and deleted comments.");
      case "follows":
        return pair("Follows", "The number of accounts that started following you.");
      case "profile_visits":
        return pair("Profile visits", "The number of times your profile was visited.");
      case "profile_activity":
        return pair(
            "Profile activity",
            "The number of actions people take when they visit your profile after engaging with your "
                + noun
                + ".");
      case "navigation":
        return pair(
            "Navigation",
            "The total number of actions taken from your story, such as tapping forward, tapping back, exiting and swiping forward.");
      case "replies":
        return pair("Replies", "The number of replies to your story.");
      case "ig_reels_avg_watch_time":
        return pair("Average Watch Time", "The average watch time of your reel in milliseconds.");
      case "ig_reels_video_view_total_time":
        return pair("Total View Time", "The total view time of your reel in milliseconds.");
      case "reels_skip_rate":
        return pair(
            "Skip rate",
            "The percentage of views in which your reel was skipped in the first 3 seconds.");
      case "crossposted_views":
        return pair(
            "Crossposted views", "The number of views of your reel on Facebook and Instagram.");
      case "facebook_views":
        return pair(
            "Facebook views",
            "The number of times your " + noun + " was played or displayed on Facebook.");
      case "link_clicks":
        return pair("Link clicks", "The number of taps on the link sticker of your story.");
      case "total_likes":
        return pair(
            "Total likes",
            "The number of likes on your "
                + noun
                + " across Instagram and Facebook, including boosted and cross-posted copies.");
      case "total_comments":
        return pair(
            "Total comments",
            "The number of comments on your "
                + noun
                + " across Instagram and Facebook, including boosted and cross-posted copies.");
      case "total_views":
        return pair(
            "Total views",
            "The number of times your "
                + noun
                + " was played or displayed across Instagram and Facebook, including boosted and cross-posted copies.");
      default:
        return pair(metric, metric);
    }
  }

  static String[] accountTitle(String metric, String period) {
    switch (metric) {
      case "reach":
        return pair(
            "Reach",
            "day".equals(period)
                ? "Total number of times the Business Account's media objects have been uniquely viewed"
                : "Total number of times the Business Account's media objects have been uniquely viewed over the "
                    + ("week".equals(period) ? "week" : "last 28 days"));
      case "follower_count":
        return pair("Follower Count", "Total number of unique accounts following this profile");
      case "online_followers":
        return pair(
            "Online Followers",
            "Total number of this profile's followers that were online during the specified range");
      case "follower_demographics":
        return pair(
            "Follower demographics",
            "The demographic characteristics of followers, including countries, cities and gender distribution.");
      case "engaged_audience_demographics":
        return pair(
            "Engaged audience demographics",
            "The demographic characteristics of the engaged audience, including countries, cities and gender distribution.");
      case "views":
        return pair("Views", "The number of times your content was played or displayed.");
      case "accounts_engaged":
        return pair(
            "Accounts engaged",
            "The number of accounts that have interacted with your content, including in ads.");
      case "total_interactions":
        return pair(
            "Content interactions",
            "The total number of post interactions, story interactions, reels interactions, video interactions and live video interactions, including any interactions on boosted content.");
      case "likes":
        return pair("Likes", "The number of likes on your posts, reels and videos.");
      case "comments":
        return pair(
            "Comments", "The number of comments on your posts, reels, videos and live videos.");
      case "shares":
        return pair(
            "Shares",
            "The number of shares of your posts, stories, reels, videos and live videos.");
      case "saves":
        return pair("Saves", "The number of saves of your posts, reels and videos.");
      case "replies":
        return pair(
            "Replies",
            "The number of replies you received from your story, including text replies and quick reaction replies.");
      case "reposts":
        return pair("Reposts", "The number of times your content was reposted.");
      case "follows_and_unfollows":
        return pair(
            "Follows and unfollows",
            "The number of accounts that followed you and the number of accounts that unfollowed you or left Instagram in the selected time period.");
      case "profile_links_taps":
        return pair(
            "Profile links taps",
            "The number of taps on your business address, call button, email button and text button.");
      default:
        return pair(metric, metric);
    }
  }

  private static String[] pair(String title, String description) {
    return new String[] {title, description};
  }
}
