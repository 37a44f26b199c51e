package io.instabeam.pipeline.sink;

import java.util.List;
import java.util.Map;

/**
 * Hand-written records in Airbyte's shape, a few per stream, with the odd cases the typed sinks
 * must handle.
 */
final class SampleRecords {
  private SampleRecords() {}

  private static final Map<String, List<String>> AIRBYTE_STREAMS =
      Map.of(
          "Api",
              List.of(
                  "{\"id\":\"p1\",\"account\":{\"business_account_id\":\"1784\",\"page_id\":\"p1\"}}",
                  "{\"id\":\"p2\",\"account\":{\"business_account_id\":\"1785\",\"page_id\":\"p2\"}}"),
          "users",
              List.of(
                  "{\"page_id\":\"p1\",\"id\":\"1784\",\"biography\":\"Hello\",\"ig_id\":123456789,"
                      + "\"followers_count\":1000,\"follows_count\":10,\"media_count\":42,\"name\":\"Shop\","
                      + "\"profile_picture_url\":\"https://example.test/pic.jpg\",\"username\":\"shop\","
                      + "\"website\":\"https://shop.test\",\"a_field_added_later\":true}"),
          "user_lifetime_insights",
              List.of(
                  "{\"page_id\":\"p1\",\"business_account_id\":\"1784\",\"breakdown\":\"city\","
                      + "\"metric\":\"follower_demographics\",\"value\":{\"London, England\":12,\"Paris, Ile-de-France\":7}}",
                  "{\"page_id\":\"p1\",\"business_account_id\":\"1784\",\"breakdown\":\"age,gender\","
                      + "\"metric\":\"follower_demographics\",\"value\":{\"18-24,F\":3,\"25-34,M\":9}}"),
          "user_insights",
              List.of(
                  "{\"page_id\":\"p1\",\"business_account_id\":\"1784\",\"date\":\"2023-06-12T07:00:00+00:00\","
                      + "\"follower_count\":5,\"reach\":100,\"reach_week\":700,\"reach_days_28\":2800,"
                      + "\"online_followers\":{\"0\":10,\"1\":11,\"23\":33}}",
                  "{\"page_id\":\"p1\",\"business_account_id\":\"1784\",\"date\":\"2023-06-13T07:00:00+00:00\","
                      + "\"follower_count\":6,\"reach\":101,\"reach_week\":701,\"reach_days_28\":2801,"
                      + "\"online_followers\":{}}",
                  "{\"page_id\":\"p2\",\"business_account_id\":\"1785\",\"date\":\"2023-06-12T07:00:00+00:00\","
                      + "\"follower_count\":1,\"reach\":2}"),
          "media",
              List.of(
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"caption\":\"Summer\",\"comments_count\":3,"
                      + "\"id\":\"m1\",\"ig_id\":\"301\",\"is_comment_enabled\":true,\"like_count\":20,"
                      + "\"media_type\":\"CAROUSEL_ALBUM\",\"media_product_type\":\"FEED\","
                      + "\"media_url\":\"https://example.test/m1.jpg\",\"owner\":{\"id\":\"1784\"},"
                      + "\"permalink\":\"https://instagram.test/p/m1\",\"shortcode\":\"m1\","
                      + "\"timestamp\":\"2023-06-12T19:20:02+00:00\",\"username\":\"shop\","
                      + "\"children\":[{\"id\":\"c1\",\"media_type\":\"IMAGE\",\"owner\":{\"id\":\"1784\"},"
                      + "\"timestamp\":\"2023-06-12T19:20:02+00:00\"},{\"id\":\"c2\",\"media_type\":\"VIDEO\"}],"
                      + "\"media_insights_info\":{\"media_id\":\"m1\",\"media_type\":\"CAROUSEL_ALBUM\","
                      + "\"media_product_type\":\"FEED\",\"business_account_id\":\"1784\",\"page_id\":\"p1\"}}",
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"id\":\"m2\",\"is_comment_enabled\":false,"
                      + "\"media_type\":\"VIDEO\",\"media_product_type\":\"REELS\",\"like_count\":5,"
                      + "\"timestamp\":\"2023-06-14T08:00:00+00:00\"}"),
          "media_insights",
              List.of(
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"id\":\"m1\",\"reach\":90,\"saved\":2,"
                      + "\"comments\":3,\"likes\":20,\"shares\":1,\"total_interactions\":26,\"follows\":0,"
                      + "\"profile_visits\":4}",
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"id\":\"m2\",\"reach\":50,"
                      + "\"ig_reels_avg_watch_time\":2712.5,\"ig_reels_video_view_total_time\":135625}"),
          "stories",
              List.of(
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"id\":\"s1\",\"ig_id\":\"401\","
                      + "\"media_type\":\"IMAGE\",\"media_product_type\":\"STORY\",\"owner\":{\"id\":\"1784\"},"
                      + "\"timestamp\":\"2023-06-15T10:00:00+00:00\",\"username\":\"shop\","
                      + "\"story_insights_info\":{\"story_id\":\"s1\",\"business_account_id\":\"1784\",\"page_id\":\"p1\"}}"),
          "story_insights",
              List.of(
                  "{\"business_account_id\":\"1784\",\"page_id\":\"p1\",\"id\":\"s1\",\"reach\":30,\"replies\":1,"
                      + "\"follows\":0,\"profile_visits\":2,\"shares\":0,\"total_interactions\":1}"));

  /**
   * The streams Airbyte lacks: a reply without likes, a reel without a like count, a snapshot per
   * run.
   */
  private static final Map<String, List<String>> NEW_STREAMS =
      Map.of(
          "media_comments",
              List.of(
                  "{\"id\":\"c10\",\"media_id\":\"m1\",\"text\":\"Love it\",\"timestamp\":\"2023-06-12T20:00:00+00:00\","
                      + "\"username\":\"ann\",\"from\":{\"id\":\"9001\",\"username\":\"ann\"},\"like_count\":2,"
                      + "\"hidden\":false,\"business_account_id\":\"1784\",\"page_id\":\"p1\"}",
                  "{\"id\":\"c11\",\"media_id\":\"m1\",\"parent_id\":\"c10\",\"text\":\"Thanks!\","
                      + "\"timestamp\":\"2023-06-12T21:00:00+00:00\",\"username\":\"shop\",\"hidden\":true,"
                      + "\"business_account_id\":\"1784\",\"page_id\":\"p1\"}"),
          "tagged_media",
              List.of(
                  "{\"id\":\"t1\",\"caption\":\"With @shop\",\"comments_count\":1,\"like_count\":9,"
                      + "\"media_type\":\"IMAGE\",\"media_product_type\":\"FEED\","
                      + "\"permalink\":\"https://instagram.test/p/t1\","
                      + "\"timestamp\":\"2023-06-10T09:00:00+00:00\",\"username\":\"fan\",\"business_account_id\":\"1784\","
                      + "\"page_id\":\"p1\"}"),
          "collaborative_media",
              List.of(
                  "{\"id\":\"k1\",\"media_type\":\"VIDEO\",\"media_product_type\":\"REELS\","
                      + "\"timestamp\":\"2023-06-11T09:00:00+00:00\",\"username\":\"partner\",\"business_account_id\":\"1784\","
                      + "\"page_id\":\"p1\"}"),
          "competitors",
              List.of(
                  "{\"username\":\"rival\",\"snapshot_at\":\"2023-06-15T12:00:00+00:00\",\"id\":\"1790\",\"ig_id\":555,"
                      + "\"name\":\"Rival\",\"followers_count\":5000,\"follows_count\":50,\"media_count\":120}"),
          "competitor_media",
              List.of(
                  "{\"id\":\"r1\",\"snapshot_at\":\"2023-06-15T12:00:00+00:00\",\"username\":\"rival\","
                      + "\"timestamp\":\"2023-06-14T08:00:00+00:00\",\"comments_count\":4,\"view_count\":1200,"
                      + "\"media_type\":\"VIDEO\",\"media_product_type\":\"REELS\"}",
                  "{\"id\":\"r2\",\"snapshot_at\":\"2023-06-15T12:00:00+00:00\",\"username\":\"rival\","
                      + "\"timestamp\":\"2023-06-13T08:00:00+00:00\",\"like_count\":30,\"media_type\":\"IMAGE\"}"));

  static final Map<String, List<String>> BY_STREAM = merged();

  private static Map<String, List<String>> merged() {
    Map<String, List<String>> all = new java.util.HashMap<>(AIRBYTE_STREAMS);
    all.putAll(NEW_STREAMS);
    return Map.copyOf(all);
  }
}
