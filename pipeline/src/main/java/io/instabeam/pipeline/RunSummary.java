package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.transforms.Accounts;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What a run did, from its Beam counters: records per stream, Graph API requests and calls,
 * retries, throttled time, skipped items, dropped metrics (per metric and object kind, the records
 * written without it). Printed at the end of every run, and written as JSON for schedulers with
 * {@code --summaryFile}.
 */
public record RunSummary(
    String status, Duration duration, Map<String, Long> counters, String output, String error) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Counters of records written without a metric Meta refused: {@code dropped-views(VIDEO/FEED)}.
   */
  static final String DROPPED_PREFIX = "dropped-";

  public static RunSummary of(PipelineResult result, Duration duration, String output) {
    return new RunSummary("succeeded", duration, counters(result), output, null);
  }

  public static RunSummary failed(Duration duration, String error) {
    return new RunSummary("failed", duration, Map.of(), null, error);
  }

  static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new TreeMap<>();
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      // "instabeam" (calls, records, skips) and "instabeam.typing" (values the typed sinks could
      // not convert)
      if (counter.getName().getNamespace().startsWith(GraphApiClient.METRICS_NAMESPACE)) {
        counters.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
      }
    }
    return counters;
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public Map<String, Long> byPrefix(String prefix) {
    Map<String, Long> selected = new TreeMap<>();
    counters.forEach(
        (name, value) -> {
          if (name.startsWith(prefix)) {
            selected.put(name.substring(prefix.length()), value);
          }
        });
    return selected;
  }

  /**
   * One line for periodic progress: elapsed time, accounts, records so far, calls, throttled time.
   */
  public String progressLine() {
    StringBuilder text =
        new StringBuilder()
            .append(seconds())
            .append(" s: accounts ")
            .append(counter(Accounts.DISCOVERED_COUNTER))
            .append(", records");
    byPrefix(InstabeamPipeline.RECORDS_COUNTER_PREFIX)
        .forEach((s, n) -> text.append(' ').append(s).append('=').append(n));
    return text.append(", ")
        .append(counter("api-calls"))
        .append(" calls, throttled ")
        .append(counter("throttling-msecs"))
        .append(" ms")
        .toString();
  }

  /** The human summary, a few lines. */
  public String text() {
    StringBuilder text = new StringBuilder();
    text.append("instabeam run ").append(status).append(" in ").append(seconds()).append(" s\n");
    if (error != null) {
      return text.append("  error: ").append(error).append('\n').toString();
    }
    text.append("  accounts: ")
        .append(counter(Accounts.DISCOVERED_COUNTER))
        .append(" (pages: ")
        .append(counter(Accounts.PAGES_COUNTER))
        .append(")\n");
    text.append("  records:");
    byPrefix(InstabeamPipeline.RECORDS_COUNTER_PREFIX)
        .forEach((s, n) -> text.append(' ').append(s).append('=').append(n));
    text.append("\n  Graph API: ")
        .append(counter("http-requests"))
        .append(" HTTP requests, ")
        .append(counter("api-calls"))
        .append(" calls, ")
        .append(counter("retries"))
        .append(" retries, throttled ")
        .append(counter("throttling-msecs"))
        .append(" ms\n");
    Map<String, Long> skipped = byPrefix("skipped-");
    if (!skipped.isEmpty()) {
      text.append("  skipped items:");
      skipped.forEach((kind, n) -> text.append(' ').append(kind).append('=').append(n));
      text.append('\n');
    }
    Map<String, Long> dropped = byPrefix(DROPPED_PREFIX);
    if (!dropped.isEmpty()) {
      text.append("  dropped metrics (Meta refused them; records written without):");
      dropped.forEach((metric, n) -> text.append(' ').append(metric).append('=').append(n));
      text.append('\n');
    }
    Map<String, Long> nulled = byPrefix("values_nulled.");
    if (!nulled.isEmpty()) {
      text.append("  values of the wrong type, written as null:");
      nulled.forEach((field, n) -> text.append(' ').append(field).append('=').append(n));
      text.append('\n');
    }
    return text.append("  output: ").append(output).append('\n').toString();
  }

  public String json() {
    ObjectNode json = JSON.createObjectNode();
    json.put("status", status);
    json.put("durationSeconds", seconds());
    json.put("output", output);
    if (error != null) {
      json.put("error", error);
      return json.toPrettyString();
    }
    json.put("accounts", counter(Accounts.DISCOVERED_COUNTER));
    json.set("records", JSON.valueToTree(byPrefix(InstabeamPipeline.RECORDS_COUNTER_PREFIX)));
    json.put("httpRequests", counter("http-requests"));
    json.put("apiCalls", counter("api-calls"));
    json.put("retries", counter("retries"));
    json.put("throttledMillis", counter("throttling-msecs"));
    json.set("skipped", JSON.valueToTree(byPrefix("skipped-")));
    json.set("droppedMetrics", JSON.valueToTree(byPrefix(DROPPED_PREFIX)));
    json.set("valuesNulled", JSON.valueToTree(byPrefix("values_nulled.")));
    return json.toPrettyString();
  }

  private double seconds() {
    return duration.toMillis() / 1000.0;
  }
}
