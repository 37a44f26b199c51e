package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AccountInsightsTest {
  /** Airbyte's mock-server tests freeze now at this instant. */
  static final Instant NOW = Instant.parse("2024-01-15T12:00:00Z");

  static GraphApiEmulator emu;
  static GraphClient client;
  static IgUser user;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder().seed(5).accounts(2).mediaPerAccount(10).now(NOW).build().start();
    client = new GraphClient(emu);
    user = emu.dataset().users().get(0);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private GraphClient.Reply insights(String query) {
    return client.get("/v23.0/" + user.id() + "/insights?" + query);
  }

  private static String since(String iso) {
    return "&since=" + GraphClient.enc(iso);
  }

  private static String until(String iso) {
    return "&until=" + GraphClient.enc(iso);
  }

  @Test
  void airbyteDailySliceGetsOnePointPerChunk() {
    String range = since("2024-01-15T00:00:00+00:00") + until("2024-01-15T12:00:00+00:00");
    JsonNode day = insights("metric=follower_count,reach&period=day" + range).json();
    assertEquals(2, day.get("data").size());
    JsonNode fc = day.get("data").get(0);
    assertEquals("follower_count", fc.get("name").asText());
    assertEquals("day", fc.get("period").asText());
    assertEquals(1, fc.get("values").size());
    assertEquals("2024-01-15T07:00:00+0000", fc.get("values").get(0).get("end_time").asText());
    assertEquals(
        emu.dataset()
            .accountInsight(user.id(), "follower_count", "day", LocalDate.parse("2024-01-15")),
        fc.get("values").get(0).get("value").asLong());
    assertEquals(user.id() + "/insights/follower_count/day", fc.get("id").asText());
    assertEquals(
        List.of("name", "period", "values", "title", "description", "id"),
        MediaInsightsTest.iterate(fc));
    JsonNode paging = day.get("paging");
    assertTrue(
        paging
            .get("previous")
            .asText()
            .contains("since=" + (NOW.getEpochSecond() - 12 * 3600 - 43200)));
    assertTrue(paging.get("next").asText().contains("since=" + NOW.getEpochSecond()));

    JsonNode week = insights("metric=reach&period=week" + range).json().get("data").get(0);
    assertEquals("week", week.get("period").asText());
    assertEquals(
        emu.dataset().accountInsight(user.id(), "reach", "week", LocalDate.parse("2024-01-15")),
        week.get("values").get(0).get("value").asLong());
    JsonNode days28 = insights("metric=reach&period=days_28" + range).json().get("data").get(0);
    assertEquals("days_28", days28.get("period").asText());
    assertTrue(
        days28.get("values").get(0).get("value").asLong()
            > week.get("values").get(0).get("value").asLong());
    JsonNode online =
        insights("metric=online_followers&period=lifetime" + range).json().get("data").get(0);
    JsonNode hours = online.get("values").get(0).get("value");
    assertEquals(24, hours.size());
    for (int h = 0; h < 24; h++) {
      assertTrue(hours.get(Integer.toString(h)).asLong() > 0);
    }
  }

  @Test
  void valuesCoverEveryDayOfTheRangeAndNeverTheFuture() {
    JsonNode values =
        insights(
                "metric=reach&period=day&since="
                    + Instant.parse("2024-01-01T00:00:00Z").getEpochSecond()
                    + "&until="
                    + Instant.parse("2024-01-16T00:00:00Z").getEpochSecond())
            .json()
            .get("data")
            .get(0)
            .get("values");
    // 2024-01-01T07:00 .. 2024-01-15T07:00; the 16th's point lies after now
    assertEquals(15, values.size());
    assertEquals("2024-01-01T07:00:00+0000", values.get(0).get("end_time").asText());
    assertEquals("2024-01-15T07:00:00+0000", values.get(14).get("end_time").asText());
    // "tomorrow 00:00Z" end (Airbyte 4.2.18) still ends at the current day
    JsonNode tomorrow =
        insights(
                "metric=reach&period=day"
                    + since("2024-01-15T00:00:00Z")
                    + until("2024-01-16T00:00:00Z"))
            .json();
    assertEquals(1, tomorrow.get("data").get(0).get("values").size());
  }

  @Test
  void rangeAndRetentionErrors() {
    GraphClient.Reply tooLong =
        insights(
            "metric=reach&period=day"
                + since("2023-12-01T00:00:00+00:00")
                + until("2024-01-15T00:00:00+00:00"));
    assertEquals(400, tooLong.status());
    assertEquals(
        "(#100) There cannot be more than 30 days (2592000 s) between since and until",
        tooLong.error().get("message").asText());
    GraphClient.Reply old =
        insights(
            "metric=follower_count&period=day"
                + since("2023-12-10T00:00:00+00:00")
                + until("2023-12-20T00:00:00+00:00"));
    assertEquals(
        "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day",
        old.error().get("message").asText());
    assertEquals(100, old.error().get("code").asInt());
    // reach is kept 90 days: an older window is accepted but has no points
    JsonNode ancient =
        insights(
                "metric=reach&period=day"
                    + since("2023-09-01T00:00:00+00:00")
                    + until("2023-09-20T00:00:00+00:00"))
            .json();
    assertEquals(0, ancient.get("data").get(0).get("values").size());
  }

  @Test
  void invalidMetricAndPeriodCombinations() {
    assertEquals(
        "(#100) The parameter metric is required",
        insights("period=day").error().get("message").asText());
    assertEquals(100, insights("metric=follower_count&period=week").error().get("code").asInt());
    assertEquals(100, insights("metric=online_followers&period=day").error().get("code").asInt());
    assertEquals(100, insights("metric=reach&period=lifetime").error().get("code").asInt());
    assertEquals(100, insights("metric=impressions&period=day").error().get("code").asInt());
    assertEquals(100, insights("metric=reach&period=fortnight").error().get("code").asInt());
    assertEquals(100, insights("metric=reach").error().get("code").asInt());
  }

  @Test
  void followerDemographicsByCityCountryAndAgeGender() {
    for (String breakdown : List.of("city", "country", "age,gender")) {
      GraphClient.Reply r =
          client.get(
              "/v23.0/"
                  + user.id()
                  + "/insights?limit=100&metric=follower_demographics&period=lifetime"
                  + "&breakdown="
                  + GraphClient.enc(breakdown)
                  + "&metric_type=total_value");
      assertEquals(200, r.status(), r.body());
      JsonNode row = r.json().get("data").get(0);
      assertEquals("follower_demographics", row.get("name").asText());
      assertEquals("lifetime", row.get("period").asText());
      assertEquals(user.id() + "/insights/follower_demographics/lifetime", row.get("id").asText());
      JsonNode b = row.get("total_value").get("breakdowns").get(0);
      assertEquals(
          List.of(breakdown.split(",")).toString().replace(" ", ""),
          b.get("dimension_keys").toString().replace("\"", ""));
      List<DemographicResult> expected = emu.dataset().followerDemographics(user.id(), breakdown);
      assertEquals(expected.size(), b.get("results").size());
      JsonNode first = b.get("results").get(0);
      assertEquals(expected.get(0).value(), first.get("value").asLong());
      assertEquals(breakdown.split(",").length, first.get("dimension_values").size());
    }
    JsonNode ageGender =
        insights(
                "metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=age,gender")
            .json()
            .get("data")
            .get(0)
            .get("total_value")
            .get("breakdowns")
            .get(0)
            .get("results")
            .get(1);
    assertEquals("[\"13-17\",\"M\"]", ageGender.get("dimension_values").toString());
    assertEquals(
        100,
        insights("metric=follower_demographics&period=lifetime&breakdown=city")
            .error()
            .get("code")
            .asInt());
    assertEquals(
        100,
        insights("metric=follower_demographics&period=lifetime&metric_type=total_value")
            .error()
            .get("code")
            .asInt());
  }

  @Test
  void valuesDoNotDependOnRequestOrder() {
    String q =
        "metric=reach&period=day"
            + since("2024-01-10T00:00:00+00:00")
            + until("2024-01-14T00:00:00+00:00");
    String first = insights(q).body();
    insights(
        "metric=reach&period=week"
            + since("2024-01-01T00:00:00+00:00")
            + until("2024-01-14T00:00:00+00:00"));
    assertEquals(first, insights(q).body());
  }
}
