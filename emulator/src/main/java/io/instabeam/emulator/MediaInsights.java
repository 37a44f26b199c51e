package io.instabeam.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /{media-id}/insights} and the {@code insights.metric(…)} field expansion: validates
 * the metric list the way Meta does (with the {@link MetricChurn} switches applied) and renders
 * lifetime values.
 */
final class MediaInsights {
  private final Dataset data;
  private final MetricChurn churn;
  private final LoginHost host;

  MediaInsights(Dataset data, MetricChurn churn, LoginHost host) {
    this.data = data;
    this.churn = churn;
    this.host = host;
  }

  static List<String> metricList(String raw) {
    List<String> metrics = new ArrayList<>();
    if (raw != null) {
      for (String m : raw.split(",")) {
        if (!m.isBlank() && !metrics.contains(m.trim())) {
          metrics.add(m.trim());
        }
      }
    }
    return metrics;
  }

  /**
   * Validation order: metric names, then the media's own state (story viewers, conversion), then
   * product type.
   */
  ObjectNode render(MediaItem item, List<String> metrics, Instant now) {
    if (metrics.isEmpty()) {
      throw GraphError.invalidParameter("The parameter metric is required");
    }
    for (int i = 0; i < metrics.size(); i++) {
      String metric = metrics.get(i);
      if (MetricCatalog.DEPRECATED_MEDIA_METRICS.contains(metric)) {
        throw GraphError.invalidParameter(
            "Starting from version v22.0 and for all versions since April 21, 2025, the "
                + metric
                + " metric is no longer supported. Please use the views metric instead.");
      }
      List<String> served =
          churn.served(MetricCatalog.ALL_MEDIA_METRICS).stream()
              .filter(m -> !host.refusedMetrics.contains(m))
              .toList();
      if (!served.contains(metric)) {
        throw GraphError.invalidParameter(
            "metric[" + i + "] must be one of the following values: " + String.join(", ", served));
      }
    }
    if (item.isStory() && data.storyBelowViewerThreshold(item)) {
      throw GraphError.notEnoughViewers();
    }
    if (data.postedBeforeConversion(item)) {
      throw GraphError.postedBeforeBusiness();
    }
    for (String metric : metrics) {
      if (!MetricCatalog.MEDIA_METRICS.get(item.mediaProductType()).contains(metric)
          || churn.unsupported(metric, item)) {
        throw GraphError.unsupportedMetricForProduct(metric);
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode rows = body.putArray("data");
    if (item.timestamp().isBefore(now.minus(Dataset.MEDIA_INSIGHTS_RETENTION))) {
      return body; // Meta keeps media insights for two years, then answers an empty data set
    }
    for (String metric : metrics) {
      if (churn.omitted(metric, item)) {
        continue;
      }
      String[] title = MetricCatalog.mediaTitle(metric, item);
      ObjectNode row = rows.addObject();
      row.put("name", metric);
      row.put("period", "lifetime");
      row.putArray("values").addObject().put("value", data.mediaInsight(item, metric));
      row.put("title", title[0]);
      row.put("description", title[1]);
      row.put("id", item.id() + "/insights/" + metric + "/lifetime");
    }
    return body;
  }

  static GraphError childHasNoInsights() {
    return GraphError.invalidParameter(
        "Insights are not available for media inside a carousel album.");
  }
}
