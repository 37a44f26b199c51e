package io.instabeam.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what the emulator served; the same content as {@code GET /__emulator/stats}.
 *
 * <p>{@code httpRequests} counts HTTP requests to the API (admin endpoints excluded); {@code calls}
 * counts Graph calls as Meta bills them: one per plain request, one per batch sub-request, one per
 * id of {@code ?ids=}. Maps are sorted by key. {@code errorsByHttpStatus}/{@code errorsByCode}
 * count every error answer, batch sub-responses included; {@code faults} counts injected faults by
 * kind (drop_connection, http_500, http_503, transient_500, transient_400, truncated_body). {@code
 * concurrency} tells how many requests clients kept in flight.
 */
public record EmulatorStats(
    long httpRequests,
    long calls,
    Map<String, Long> requestsByKind,
    Map<String, Long> callsByKind,
    Map<String, Long> callsByAccount,
    Map<String, Long> errorsByHttpStatus,
    Map<String, Long> errorsByCode,
    Map<String, Long> rateLimitErrorsByAccount,
    long appRateLimitErrors,
    Map<String, Long> faults,
    Usage appUsage,
    Map<String, Usage> usageByAccount,
    Concurrency concurrency) {

  /**
   * How many API requests were being served at once: the peak (of all, and of each kind: {@link
   * #peakInFlight(String)}), the time spent serving them summed over requests ({@code
   * servingMillis}, latency included), when the first one came (wall clock; null before any) and
   * the time from its start to the last one's end ({@code spanMillis}). {@code servingMillis /
   * spanMillis} is the average number in flight over that span; {@code byTenth} is that average in
   * each tenth of the span.
   */
  public record Concurrency(
      int peakInFlight,
      Map<String, Integer> peakInFlightByKind,
      long servingMillis,
      Instant firstRequestAt,
      long spanMillis,
      List<Double> byTenth) {
    /**
     * The most requests of {@code kind} (e.g. {@code "batch"}) served at once; 0 when none came.
     */
    public int peakInFlight(String kind) {
      return peakInFlightByKind.getOrDefault(kind, 0);
    }

    public double averageInFlight() {
      return spanMillis == 0 ? 0 : (double) servingMillis / spanMillis;
    }
  }

  public long requests(String kind) {
    return requestsByKind.getOrDefault(kind, 0L);
  }

  public long calls(String kind) {
    return callsByKind.getOrDefault(kind, 0L);
  }

  /**
   * JSON shape: {@code {"http_requests":n,"calls":n,"requests_by_kind":{kind:n},"calls_by_kind":{kind:n},
   * "calls_by_account":{id:n},"errors_by_http_status":{"400":n},"errors_by_code":{"100":n},
   * "rate_limit_errors_by_account":{id:n},"app_rate_limit_errors":n,"faults":{kind:n},
   * "usage":{"app":{"call_count":p,"total_cputime":p,"total_time":p,"estimated_time_to_regain_access":m},
   * "accounts":{id:{…same…}}},"concurrency":{"peak_in_flight":n,"serving_millis":ms,"span_millis":ms}}.
   */
  public ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("http_requests", httpRequests);
    root.put("calls", calls);
    root.set("requests_by_kind", Json.MAPPER.valueToTree(requestsByKind));
    root.set("calls_by_kind", Json.MAPPER.valueToTree(callsByKind));
    root.set("calls_by_account", Json.MAPPER.valueToTree(callsByAccount));
    root.set("errors_by_http_status", Json.MAPPER.valueToTree(errorsByHttpStatus));
    root.set("errors_by_code", Json.MAPPER.valueToTree(errorsByCode));
    root.set("rate_limit_errors_by_account", Json.MAPPER.valueToTree(rateLimitErrorsByAccount));
    root.put("app_rate_limit_errors", appRateLimitErrors);
    root.set("faults", Json.MAPPER.valueToTree(faults));
    ObjectNode usage = root.putObject("usage");
    usage.set("app", Json.usage(appUsage, false));
    ObjectNode accounts = usage.putObject("accounts");
    usageByAccount.forEach((id, u) -> accounts.set(id, Json.usage(u, true)));
    ObjectNode inFlight = root.putObject("concurrency");
    inFlight.put("peak_in_flight", concurrency.peakInFlight());
    inFlight.set(
        "peak_in_flight_by_kind", Json.MAPPER.valueToTree(concurrency.peakInFlightByKind()));
    inFlight.put("serving_millis", concurrency.servingMillis());
    inFlight.put("span_millis", concurrency.spanMillis());
    inFlight.set("in_flight_by_tenth", Json.MAPPER.valueToTree(concurrency.byTenth()));
    return root;
  }
}
