package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The catalog: Airbyte's lists verbatim (its manifest.yaml's streams), the current lists per kind,
 * login and version, and every entry's column in its stream's JSON Schema with the entry's type.
 */
class MetricCatalogTest {
  static final MetricCatalog.Selection AIRBYTE =
      new MetricCatalog.Selection(MetricSet.AIRBYTE, Login.FACEBOOK, "v25.0");
  static final MetricCatalog.Selection CURRENT =
      new MetricCatalog.Selection(MetricSet.CURRENT, Login.FACEBOOK, "v25.0");

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "VIDEO|REELS|comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares",
        "IMAGE|REELS|comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares",
        "VIDEO|FEED|reach,saved",
        "VIDEO|STORY|reach,saved,likes,comments,shares,follows,profile_visits",
        "VIDEO|AD|reach,saved,likes,comments,shares,follows,profile_visits",
        "CAROUSEL_ALBUM|FEED|reach,saved,shares,follows,profile_visits",
        "IMAGE|FEED|reach,saved,likes,comments,shares,follows,profile_visits",
        "IMAGE|STORY|reach,saved,likes,comments,shares,follows,profile_visits",
        "IMAGE||reach,saved,likes,comments,shares,follows,profile_visits"
      })
  void airbyteMediaInsightsFollowAirbytesTable(
      String mediaType, String productType, String metrics) {
    assertEquals(metrics, String.join(",", AIRBYTE.mediaInsights(mediaType, productType)));
  }

  @Test
  void airbyteRequestsAreAirbytesVerbatim() {
    assertEquals(
        "reach,replies,follows,profile_visits,shares,total_interactions",
        String.join(",", AIRBYTE.storyInsights()));
    String child =
        "id,ig_id,media_type,media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username";
    assertEquals(
        "caption,comments_count,id,ig_id,is_comment_enabled,like_count,media_type,media_product_type,"
            + "media_url,owner,permalink,shortcode,thumbnail_url,timestamp,username,children{"
            + child
            + "}",
        AIRBYTE.fields(MetricCatalog.Edge.MEDIA));
    assertEquals(
        "caption,id,ig_id,like_count,media_type,media_product_type,media_url,owner,permalink,shortcode,"
            + "thumbnail_url,timestamp,username",
        AIRBYTE.fields(MetricCatalog.Edge.STORIES));
    assertEquals(List.of("follower_count", "reach"), AIRBYTE.accountTimeSeries("day"));
    assertEquals(List.of("reach"), AIRBYTE.accountTimeSeries("week"));
    assertEquals(List.of("reach"), AIRBYTE.accountTimeSeries("days_28"));
    assertEquals(List.of("online_followers"), AIRBYTE.accountTimeSeries("lifetime"));
    assertTrue(AIRBYTE.accountDailyTotals().isEmpty());
    assertEquals(
        List.of("follower_demographics"),
        AIRBYTE.demographics().stream().map(MetricCatalog.Demographic::metric).toList());
  }

  @Test
  void currentAsksEveryMetricMetaDocumentsForTheSurface() {
    assertEquals(
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
            "facebook_views",
            "total_likes",
            "total_comments",
            "total_views"),
        CURRENT.mediaInsights("IMAGE", "FEED"));
    assertEquals(
        CURRENT.mediaInsights("IMAGE", "FEED"),
        CURRENT.mediaInsights("VIDEO", "AD"),
        "AD media are feed posts that were boosted");
    assertEquals(
        List.of(
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
        CURRENT.mediaInsights("VIDEO", "REELS"));
    assertEquals(
        List.of(
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
            "total_views"),
        CURRENT.storyInsights());
    for (String kind : MetricCatalog.MEDIA_KINDS) {
      String[] types = kind.split("/");
      assertTrue(
          CURRENT
              .mediaInsights(types[0], types[1])
              .containsAll(AIRBYTE.mediaInsights(types[0], types[1])),
          kind + ": current is a superset of Airbyte's");
    }
    assertTrue(CURRENT.storyInsights().containsAll(AIRBYTE.storyInsights()));
    assertTrue(
        CURRENT
            .fields(MetricCatalog.Edge.MEDIA)
            .startsWith(AIRBYTE.fields(MetricCatalog.Edge.MEDIA) + ","));
    assertTrue(
        CURRENT
            .fields(MetricCatalog.Edge.MEDIA)
            .endsWith(",reposts_count,saved_count,shares_count,media_audio_type,is_ai_generated"));
    assertEquals(
        AIRBYTE.fields(MetricCatalog.Edge.CHILDREN), CURRENT.fields(MetricCatalog.Edge.CHILDREN));
    assertEquals(
        List.of(
            "views",
            "accounts_engaged",
            "total_interactions",
            "likes",
            "comments",
            "shares",
            "saves",
            "replies",
            "reposts",
            "follows_and_unfollows",
            "profile_links_taps",
            "follows_and_unfollows_by_follow_type",
            "profile_links_taps_by_contact_button_type"),
        CURRENT.accountDailyTotals().stream().map(MetricCatalog.TotalMetric::key).toList());
    assertEquals("this_month", CURRENT.demographics().get(1).timeframe());
  }

  @Test
  void instagramLoginIsNotAskedForWhatOnlyFacebookLoginServes() {
    MetricCatalog.Selection instagram =
        new MetricCatalog.Selection(MetricSet.CURRENT, Login.INSTAGRAM, "v25.0");
    assertFalse(instagram.mediaInsights("IMAGE", "FEED").contains("total_likes"));
    assertFalse(instagram.storyInsights().contains("link_clicks"));
    assertTrue(instagram.storyInsights().contains("views"));
    assertFalse(instagram.fields(MetricCatalog.Edge.MEDIA).contains("saved_count"));
    assertTrue(instagram.fields(MetricCatalog.Edge.MEDIA).contains("is_ai_generated"));
  }

  @Test
  void aVersionBeforeAMetricIsNotAskedForIt() {
    MetricCatalog.Selection v21 =
        new MetricCatalog.Selection(MetricSet.CURRENT, Login.FACEBOOK, "v21.0");
    assertFalse(v21.mediaInsights("VIDEO", "REELS").contains("views"), "views came with v22.0");
    assertTrue(CURRENT.mediaInsights("VIDEO", "REELS").contains("views"));
    assertTrue(v21.mediaInsights("VIDEO", "REELS").contains("reach"));
  }

  /** Every entry of the catalog has its column in its stream's schema, with the entry's type. */
  @Test
  void everyEntryHasItsSchemaColumnWithItsType() {
    List<String> problems = new ArrayList<>();
    for (MetricCatalog.ItemMetric metric : MetricCatalog.ITEM_METRICS) {
      if (metric.surfaces().contains(MetricCatalog.Surface.FEED)
          || metric.surfaces().contains(MetricCatalog.Surface.REELS)) {
        check(problems, StreamCatalog.MEDIA_INSIGHTS, metric.name(), metric.type());
      }
      if (metric.surfaces().contains(MetricCatalog.Surface.STORY)) {
        check(problems, StreamCatalog.STORY_INSIGHTS, metric.name(), metric.type());
      }
    }
    for (MetricCatalog.Field field : MetricCatalog.FIELDS) {
      if (field.edges().contains(MetricCatalog.Edge.MEDIA)) {
        check(problems, StreamCatalog.MEDIA, field.name(), field.type());
      }
      if (field.edges().contains(MetricCatalog.Edge.STORIES)) {
        check(problems, StreamCatalog.STORIES, field.name(), field.type());
      }
    }
    for (MetricCatalog.SeriesMetric metric : MetricCatalog.ACCOUNT_TIME_SERIES) {
      for (String period : metric.periods()) {
        check(
            problems,
            StreamCatalog.USER_INSIGHTS,
            metric.name() + InsightsWindows.Group.suffixOf(period),
            metric.type());
      }
    }
    for (MetricCatalog.TotalMetric metric : MetricCatalog.ACCOUNT_DAILY_TOTALS) {
      check(problems, StreamCatalog.USER_INSIGHTS, metric.key(), metric.type());
    }
    for (String column : List.of("breakdown", "metric", "timeframe")) {
      check(problems, StreamCatalog.USER_LIFETIME_INSIGHTS, column, MetricCatalog.Type.STRING);
    }
    check(problems, StreamCatalog.USER_LIFETIME_INSIGHTS, "value", MetricCatalog.Type.COUNTS);
    assertEquals(List.of(), problems);
  }

  private static final Map<MetricCatalog.Type, StreamSchema.Kind> KINDS =
      Map.of(
          MetricCatalog.Type.INTEGER,
          StreamSchema.Kind.INTEGER,
          MetricCatalog.Type.NUMBER,
          StreamSchema.Kind.NUMBER,
          MetricCatalog.Type.STRING,
          StreamSchema.Kind.STRING,
          MetricCatalog.Type.BOOLEAN,
          StreamSchema.Kind.BOOLEAN,
          MetricCatalog.Type.TIMESTAMP,
          StreamSchema.Kind.TIMESTAMP,
          MetricCatalog.Type.OBJECT,
          StreamSchema.Kind.RECORD,
          MetricCatalog.Type.LIST,
          StreamSchema.Kind.REPEATED_RECORD,
          MetricCatalog.Type.COUNTS,
          StreamSchema.Kind.COUNT_MAP);

  private static void check(
      List<String> problems, String stream, String column, MetricCatalog.Type type) {
    Optional<StreamSchema.Field> field = StreamSchema.of(StreamCatalog.get(stream)).field(column);
    if (field.isEmpty()) {
      problems.add(stream + "." + column + " is missing");
    } else if (field.get().kind() != KINDS.get(type)) {
      problems.add(
          stream + "." + column + " is " + field.get().kind() + ", the catalog says " + type);
    }
  }
}
