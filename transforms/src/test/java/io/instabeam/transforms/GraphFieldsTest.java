package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Airbyte's media insights metric table (AIRBYTE-BEHAVIOUR.md §2.4): first match wins. */
class GraphFieldsTest {
  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "VIDEO|REELS|comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares",
      "IMAGE|REELS|comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares",
      "VIDEO|FEED|reach,saved",
      "VIDEO|STORY|reach,saved,likes,comments,shares,follows,profile_visits",
      "VIDEO|AD|reach,saved,likes,comments,shares,follows,profile_visits",
      "CAROUSEL_ALBUM|FEED|reach,saved,shares,follows,profile_visits",
      "IMAGE|FEED|reach,saved,likes,comments,shares,follows,profile_visits",
      "IMAGE|STORY|reach,saved,likes,comments,shares,follows,profile_visits",
      "IMAGE||reach,saved,likes,comments,shares,follows,profile_visits"})
  void mediaInsightsMetricsFollowAirbytesTable(String mediaType, String productType, String metrics) {
    assertEquals(metrics, GraphFields.mediaInsightsMetrics(mediaType, productType));
  }

  @Test
  void storyInsightsMetricsAreAirbytes() {
    assertEquals("reach,replies,follows,profile_visits,shares,total_interactions", GraphFields.STORY_INSIGHTS_METRICS);
  }
}
