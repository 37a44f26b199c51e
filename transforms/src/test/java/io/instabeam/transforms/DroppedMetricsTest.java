package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.instabeam.graph.GraphApiError;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which metric a Graph API error refuses, from Meta's messages (the messages of Meta's metric
 * deprecations, as Airbyte's PR 62902 handles them).
 */
class DroppedMetricsTest {
  private static final List<String> ASKED = List.of("reach", "views", "follower_count", "shares");

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "views|(#100) The Media Insights API does not support the views metric for this media product type.",
        "shares|(#100) Starting from version v22.0 and for all versions since April 21, 2025, the shares metric is no "
            + "longer supported.",
        "follower_count|(#100) The follower_count metric is no longer supported in this version of the API.",
        "follower_count|(#100) metric[2] must be one of the following values: reach, views, shares, likes",
        "shares|(#100) metric must be one of the following values: reach, views, follower_count"
      })
  void metaNamesOrListsTheMetric(String refused, String message) {
    assertEquals(
        Optional.of(refused), DroppedMetrics.refusedMetric(error(100, 0, message), ASKED, false));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "(#100) period must be one of the following values: day, week, days_28, month, lifetime",
        "(#100) metric_type must be one of the following values: time_series, total_value",
        "(#100) (follower_count) metric only supports querying data for the last 30 days excluding the current day",
        "(#100) The Media Insights API does not support the impressions metric for this media product type."
      })
  void otherInvalidParametersRefuseNoMetricAskedFor(String message) {
    assertEquals(
        Optional.empty(), DroppedMetrics.refusedMetric(error(100, 0, message), ASKED, false));
  }

  @Test
  void skipRuleErrorsAndOtherCodesRefuseNoMetric() {
    assertEquals(
        Optional.empty(),
        DroppedMetrics.refusedMetric(
            error(100, 2108006, "Invalid parameter"), List.of("views"), true));
    assertEquals(
        Optional.empty(),
        DroppedMetrics.refusedMetric(
            error(100, 33, "Unsupported get request."), List.of("views"), true));
    assertEquals(
        Optional.empty(),
        DroppedMetrics.refusedMetric(
            error(10, 0, "(#10) does not support the views metric"), ASKED, false));
  }

  @Test
  void anInvalidParameterOnASplitRefusesTheSplitMetric() {
    GraphApiError error =
        error(
            100,
            0,
            "(#100) Incompatible breakdown (follow_type) with metric (follows_and_unfollows)");
    assertEquals(
        Optional.of("follows_and_unfollows"),
        DroppedMetrics.refusedMetric(error, List.of("follows_and_unfollows"), true));
    assertEquals(
        Optional.empty(),
        DroppedMetrics.refusedMetric(error, List.of("follows_and_unfollows"), false));
  }

  @Test
  void whatOneTransformLearntStaysWithIt() {
    DroppedMetrics one = new DroppedMetrics("media_insights");
    DroppedMetrics other = new DroppedMetrics("media_insights");
    one.drop("VIDEO/FEED", "views", "test");
    assertEquals(List.of("reach"), one.remaining("VIDEO/FEED", List.of("reach", "views")));
    assertEquals(List.of("reach", "views"), one.remaining("IMAGE/FEED", List.of("reach", "views")));
    assertEquals(
        List.of("reach", "views"), other.remaining("VIDEO/FEED", List.of("reach", "views")));
  }

  private static GraphApiError error(int code, int subcode, String message) {
    return new GraphApiError(400, code, subcode, "OAuthException", message, false, "", "");
  }
}
