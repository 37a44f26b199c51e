package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.CarouselChild;
import io.instabeam.emulator.Dataset;
import io.instabeam.emulator.DemographicResult;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import io.instabeam.transforms.Login;
import io.instabeam.transforms.MetricCatalog;
import io.instabeam.transforms.MetricSet;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stream end to end with {@code --metricSet=airbyte}: the job, through {@link Main}, on the
 * DirectRunner against the emulator over HTTP, checked field by field against the data the emulator
 * served ({@link CurrentMetricsTest} does the same for the default metric set).
 */
class StreamsEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final MetricCatalog.Selection AIRBYTE =
      new MetricCatalog.Selection(MetricSet.AIRBYTE, Login.FACEBOOK, null);

  @TempDir static Path output;
  static GraphApiEmulator emulator;
  static Dataset data;
  static JobHarness.Run run;
  static Map<String, List<ObjectNode>> published;

  @BeforeAll
  static void runTheJob() {
    emulator =
        GraphApiEmulator.builder()
            .seed(7)
            .accessToken("token-e2e")
            .accounts(2)
            .pagesWithoutInstagram(2)
            .mediaPerAccount(130)
            .storiesPerAccount(6)
            .now(NOW)
            .build()
            .start();
    data = emulator.dataset();
    run =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=token-e2e",
            "--now=" + NOW,
            "--metricSet=airbyte",
            "--output=" + output,
            "--streams=Api,users,user_lifetime_insights,user_insights,media,media_insights,"
                + "stories,story_insights");
    published = JobHarness.published(output);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void runSucceedsAndSummarisesEveryStream() {
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("instabeam run succeeded"), run.out());
    assertTrue(run.out().contains("accounts: 2 (pages: 4)"), run.out());
    assertTrue(run.out().contains("media=260"), run.out());
  }

  @Test
  void apiStreamHasOneRecordPerPageWithAnInstagramAccount() {
    List<ObjectNode> api = published.get("Api");
    assertEquals(2, api.size());
    for (IgUser user : data.users()) {
      ObjectNode record = byField(api, "id").get(user.pageId());
      assertEquals(user.id(), record.path("account").path("business_account_id").asText());
      assertEquals(user.pageId(), record.path("account").path("page_id").asText());
    }
  }

  @Test
  void pagesWithoutInstagramAccountAreLeftOut() {
    Set<String> pageIds =
        published.get("users").stream()
            .map(u -> u.path("page_id").asText())
            .collect(Collectors.toSet());
    data.pages().stream()
        .filter(p -> !p.hasInstagram())
        .forEach(p -> assertFalse(pageIds.contains(p.id())));
  }

  @Test
  void usersMatchTheProfilesWithPageIdAndCleanedPictureUrl() {
    Map<String, ObjectNode> users = byField(published.get("users"), "id");
    assertEquals(2, users.size());
    for (IgUser user : data.users()) {
      ObjectNode record = users.get(user.id());
      assertEquals(user.pageId(), record.path("page_id").asText());
      assertEquals(user.username(), record.path("username").asText());
      assertEquals(user.name(), record.path("name").asText());
      assertEquals(user.biography(), record.path("biography").asText());
      assertEquals(user.website(), record.path("website").asText());
      assertTrue(record.path("ig_id").isIntegralNumber());
      assertEquals(user.igId(), record.path("ig_id").asLong());
      assertEquals(user.followersCount(), record.path("followers_count").asLong());
      assertEquals(user.followsCount(), record.path("follows_count").asLong());
      assertEquals(user.mediaCount(), record.path("media_count").asLong());
      assertTrue(user.profilePictureUrl().contains("ccb="), "the emulator serves a ccb parameter");
      assertFalse(record.path("profile_picture_url").asText().contains("ccb="));
    }
  }

  @Test
  void mediaMatchEveryItemAcrossSeveralPagesWithAirbyteFields() {
    Map<String, ObjectNode> media = byField(published.get("media"), "id");
    assertEquals(260, media.size(), "130 media per account need two pages of 100 each");
    for (IgUser user : data.users()) {
      for (MediaItem item : data.media(user.id())) {
        ObjectNode record = media.get(item.id());
        assertEquals(item.mediaType(), record.path("media_type").asText());
        assertEquals(item.mediaProductType(), record.path("media_product_type").asText());
        assertEquals(item.caption(), record.path("caption").textValue());
        assertEquals(item.likeCount(), record.path("like_count").asLong());
        assertEquals(item.commentsCount(), record.path("comments_count").asLong());
        assertEquals(item.commentEnabled(), record.path("is_comment_enabled").asBoolean());
        assertEquals(item.igId(), record.path("ig_id").asText());
        assertEquals(item.permalink(), record.path("permalink").asText());
        assertEquals(item.shortcode(), record.path("shortcode").asText());
        assertEquals(item.thumbnailUrl(), record.path("thumbnail_url").textValue());
        assertEquals(user.id(), record.path("owner").path("id").asText());
        assertEquals(rfc3339(item.timestamp()), record.path("timestamp").asText());
        assertFalse(record.path("media_url").asText().contains("_nc_rid="));
        assertEquals(user.id(), record.path("business_account_id").asText());
        assertEquals(user.pageId(), record.path("page_id").asText());
        JsonNode info = record.path("media_insights_info");
        assertEquals(item.id(), info.path("media_id").asText());
        assertEquals(item.mediaType(), info.path("media_type").asText());
        assertEquals(item.mediaProductType(), info.path("media_product_type").asText());
        assertEquals(user.id(), info.path("business_account_id").asText());
        assertEquals(user.pageId(), info.path("page_id").asText());
      }
    }
  }

  @Test
  void carouselChildrenAreAListOfChildObjects() {
    Map<String, ObjectNode> media = byField(published.get("media"), "id");
    List<MediaItem> carousels = data.allMedia().stream().filter(MediaItem::isCarousel).toList();
    assertFalse(carousels.isEmpty());
    for (MediaItem carousel : carousels) {
      JsonNode children = media.get(carousel.id()).path("children");
      assertTrue(children.isArray());
      assertEquals(carousel.children().size(), children.size());
      for (int i = 0; i < children.size(); i++) {
        CarouselChild child = carousel.children().get(i);
        JsonNode record = children.get(i);
        assertEquals(child.id(), record.path("id").asText());
        assertEquals(child.igId(), record.path("ig_id").asText());
        assertEquals(child.mediaType(), record.path("media_type").asText());
        assertEquals(child.ownerId(), record.path("owner").path("id").asText());
        assertEquals(rfc3339(child.timestamp()), record.path("timestamp").asText());
        assertFalse(record.path("media_url").asText().contains("_nc_rid="));
      }
    }
    data.allMedia().stream()
        .filter(m -> !m.isCarousel())
        .forEach(m -> assertTrue(media.get(m.id()).path("children").isMissingNode()));
  }

  @Test
  void mediaInsightsHaveAirbytesMetricSetPerTypeAndTheServedValues() {
    Map<String, ObjectNode> insights = byField(published.get("media_insights"), "id");
    long skipped = 0;
    long olderThanRetention = 0;
    for (MediaItem item : data.allMedia()) {
      ObjectNode record = insights.get(item.id());
      if (data.postedBeforeConversion(item)) {
        assertNull(record, "media posted before the business conversion are skipped");
        skipped++;
        continue;
      }
      if (item.timestamp().isBefore(NOW.minus(java.time.Duration.ofDays(730)))) {
        // Meta keeps media insights for two years and then answers an empty data set, which Airbyte
        // keeps as is.
        assertTrue(
            record.path("data").isArray() && record.path("data").isEmpty(), record.toString());
        olderThanRetention++;
        continue;
      }
      for (String metric : AIRBYTE.mediaInsights(item.mediaType(), item.mediaProductType())) {
        assertEquals(
            data.mediaInsight(item, metric),
            record.path(metric).asLong(),
            item.id() + " " + metric);
      }
      assertEquals(item.ownerId(), record.path("business_account_id").asText());
      assertFalse(record.has("data"));
    }
    assertTrue(skipped > 0, "the data set has media posted before the business conversion");
    assertTrue(olderThanRetention > 0, "the data set has media older than the insights retention");
    assertEquals(data.allMedia().size() - skipped, insights.size());
    assertTrue(
        run.out().contains("media_insights-posted-before-business-conversion=" + skipped),
        run.out());
    assertTrue(data.allMedia().stream().anyMatch(MediaItem::isReel));
  }

  @Test
  void storiesAndTheirInsightsSkipStoriesWithTooFewViewers() {
    Map<String, ObjectNode> stories = byField(published.get("stories"), "id");
    Map<String, ObjectNode> insights = byField(published.get("story_insights"), "id");
    int expectedInsights = 0;
    for (IgUser user : data.users()) {
      for (MediaItem story : data.stories(user.id())) {
        ObjectNode record = stories.get(story.id());
        assertEquals("STORY", record.path("media_product_type").asText());
        assertEquals(rfc3339(story.timestamp()), record.path("timestamp").asText());
        assertEquals(story.id(), record.path("story_insights_info").path("story_id").asText());
        assertEquals(user.pageId(), record.path("story_insights_info").path("page_id").asText());
        if (data.storyBelowViewerThreshold(story)) {
          assertNull(insights.get(story.id()));
        } else {
          expectedInsights++;
          for (String metric : AIRBYTE.storyInsights()) {
            assertEquals(
                data.mediaInsight(story, metric), insights.get(story.id()).path(metric).asLong());
          }
        }
      }
    }
    assertEquals(12, stories.size());
    assertEquals(expectedInsights, insights.size());
  }

  @Test
  void lifetimeInsightsHaveOneRecordPerBreakdownKeyedByTheWholeDimensionTuple() {
    List<ObjectNode> records = published.get("user_lifetime_insights");
    assertEquals(6, records.size());
    for (IgUser user : data.users()) {
      for (String breakdown : AIRBYTE.demographics().get(0).breakdowns()) {
        ObjectNode record =
            records.stream()
                .filter(
                    r ->
                        r.path("business_account_id").asText().equals(user.id())
                            && r.path("breakdown").asText().equals(breakdown))
                .findFirst()
                .orElseThrow();
        assertEquals("follower_demographics", record.path("metric").asText());
        assertEquals(user.pageId(), record.path("page_id").asText());
        Map<String, Long> expected = new HashMap<>();
        for (DemographicResult result : data.followerDemographics(user.id(), breakdown)) {
          expected.put(String.join(",", result.dimensionValues()), result.value());
        }
        Map<String, Long> actual = new HashMap<>();
        record
            .path("value")
            .fields()
            .forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asLong()));
        assertEquals(expected, actual);
      }
    }
    assertTrue(
        records.stream().anyMatch(r -> r.path("value").has("18-24,F")),
        "age,gender keeps the gender split");
  }

  @Test
  void userInsightsHaveOneRecordPerAccountAndDateWithEveryPeriodGroup() {
    List<ObjectNode> records = published.get("user_insights");
    assertEquals(
        2 * 90, records.size(), "90 days of account insights for each of the two accounts");
    for (ObjectNode record : records) {
      String account = record.path("business_account_id").asText();
      LocalDate day =
          Instant.parse(record.path("date").asText().replace("+00:00", "Z"))
              .atOffset(ZoneOffset.UTC)
              .toLocalDate();
      assertTrue(record.path("date").asText().endsWith("T07:00:00+00:00"));
      assertEquals(
          data.accountInsight(account, "reach", "day", day), record.path("reach").asLong());
      assertEquals(
          data.accountInsight(account, "reach", "week", day), record.path("reach_week").asLong());
      assertEquals(
          data.accountInsight(account, "reach", "days_28", day),
          record.path("reach_days_28").asLong());
      if (record.has("follower_count")) {
        assertEquals(
            data.accountInsight(account, "follower_count", "day", day),
            record.path("follower_count").asLong());
        assertEquals(24, record.path("online_followers").size());
        assertEquals(
            data.onlineFollowers(account, day).get("19"),
            record.path("online_followers").path("19").asLong());
      }
    }
    long withFollowers = records.stream().filter(r -> r.has("follower_count")).count();
    assertTrue(
        withFollowers >= 2 * 29, "follower_count is served for the last 30 days: " + withFollowers);
    assertEquals(
        records.size(),
        records.stream()
            .map(r -> r.path("business_account_id").asText() + r.path("date").asText())
            .distinct()
            .count());
  }

  @Test
  void userInsightsCostAtMostTwelveCallsPerAccountForNinetyDays() {
    assertTrue(
        emulator.stats().calls("user/insights") <= 2 * (3 + 12),
        emulator.stats().toJson().toString());
  }

  private static Map<String, ObjectNode> byField(List<ObjectNode> records, String field) {
    return records.stream()
        .collect(Collectors.toMap(r -> r.path(field).asText(), Function.identity()));
  }

  private static String rfc3339(Instant instant) {
    return instant
        .atOffset(ZoneOffset.UTC)
        .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx"));
  }
}
