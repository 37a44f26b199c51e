package io.instabeam.transforms;

import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics Meta refused during a run, per object kind ({@code VIDEO/FEED}, {@code account/day}).
 * Meta fails a whole insights request for one metric it does not serve for the object's kind ("does
 * not support the views metric for this media product type", "the impressions metric is no longer
 * supported", "metric[2] must be one of the following values: …"), so one retired metric would
 * otherwise cost the run. Here such a metric is dropped for that kind for the rest of the run, the
 * request is sent again without it, one warning names metric and kind, and every record written
 * without it is counted under {@code dropped-<metric>(<kind>)} for the run summary.
 *
 * <p>What was learnt is kept per worker JVM and per transform (its scope), so every thread of a
 * worker stops asking at once, and two runs in one JVM (tests, a scheduler's) do not share what
 * they learnt.
 */
final class DroppedMetrics implements Serializable {
  static final String COUNTER_PREFIX = "dropped-";
  private static final Logger LOG = LoggerFactory.getLogger(DroppedMetrics.class);

  /** scope → kind → the metrics Meta refused for it. */
  private static final ConcurrentMap<String, ConcurrentMap<String, Set<String>>> REFUSED =
      new ConcurrentHashMap<>();

  private static final Pattern NOT_FOR_KIND = Pattern.compile("does not support the (\\w+) metric");
  private static final Pattern RETIRED = Pattern.compile("(\\w+) metric is no longer supported");
  private static final Pattern NOT_ONE_OF =
      Pattern.compile("\\bmetric(?:\\[(\\d+)])? must be one of the following values: ([\\w, ]*)");

  private final String stream;
  private final String scope = UUID.randomUUID().toString();

  DroppedMetrics(String stream) {
    this.stream = stream;
  }

  /**
   * One insights request whose metric list may shrink: the object kind it is for, the metrics it
   * asks for, and how to ask for fewer. A {@code breakdown} request asks for one metric split by a
   * dimension, so any invalid-parameter error (code 100, other than the skip rules' subcodes)
   * refuses that metric's split.
   */
  record Ask(String kind, List<String> metrics, GraphRequest request, boolean breakdown) {
    static Ask of(String kind, GraphRequest request) {
      return new Ask(kind, List.of(request.params().get("metric").split(",")), request, false);
    }

    static Ask breakdown(String kind, GraphRequest request) {
      return new Ask(kind, List.of(request.params().get("metric").split(",")), request, true);
    }

    GraphRequest asking(List<String> some) {
      return request.with("metric", String.join(",", some));
    }
  }

  /**
   * The outcome of an ask: the metrics finally asked for, and Meta's answer (null when none was
   * left to ask).
   */
  record Answer(Ask ask, List<String> asked, GraphResponse response) {
    /** The metrics of the ask that Meta refused, before or during this request. */
    List<String> dropped() {
      return ask.metrics().stream().filter(m -> !asked.contains(m)).toList();
    }
  }

  /** {@code metrics} without those Meta refused for {@code kind} so far. */
  List<String> remaining(String kind, List<String> metrics) {
    Set<String> refused = refused(kind);
    return refused.isEmpty()
        ? metrics
        : metrics.stream().filter(m -> !refused.contains(m)).toList();
  }

  /**
   * Notes that Meta refused (or left out) {@code metric} for {@code kind}; the first time, one
   * warning says so.
   */
  void drop(String kind, String metric, String why) {
    if (refused(kind).add(metric)) {
      LOG.warn(
          "{}: Meta does not serve the metric {} for {} ({}); it is no longer requested for {} in this run, "
              + "and the records lack it (counted in the run summary's dropped metrics).",
          stream,
          metric,
          kind,
          why,
          kind);
    }
  }

  /** Counts one record written without {@code metric} for {@code kind}. */
  static void countRecordWithout(String metric, String kind) {
    Metrics.counter(GraphApiClient.METRICS_NAMESPACE, COUNTER_PREFIX + metric + "(" + kind + ")")
        .inc();
  }

  private Set<String> refused(String kind) {
    return REFUSED
        .computeIfAbsent(scope, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet());
  }

  /**
   * Sends the asks, as batch requests of up to {@value GraphApiClient#MAX_BATCH_SIZE}; an ask that
   * Meta answers by refusing one of its metrics is sent again without it, until Meta answers it
   * otherwise or no metric is left. The answers come back in the order of the asks.
   */
  List<Answer> send(GraphApiClient client, List<Ask> asks) {
    Answer[] answers = new Answer[asks.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < asks.size(); i++) {
      pending.add(i);
    }
    while (!pending.isEmpty()) {
      List<Integer> sent = new ArrayList<>();
      List<List<String>> asked = new ArrayList<>();
      for (int i : pending) {
        Ask ask = asks.get(i);
        List<String> metrics = remaining(ask.kind(), ask.metrics());
        if (metrics.isEmpty()) {
          answers[i] = new Answer(ask, metrics, null);
        } else {
          sent.add(i);
          asked.add(metrics);
        }
      }
      List<Integer> again = new ArrayList<>();
      for (int from = 0; from < sent.size(); from += GraphApiClient.MAX_BATCH_SIZE) {
        int to = Math.min(sent.size(), from + GraphApiClient.MAX_BATCH_SIZE);
        List<GraphRequest> requests = new ArrayList<>();
        for (int j = from; j < to; j++) {
          requests.add(asks.get(sent.get(j)).asking(asked.get(j)));
        }
        List<GraphResponse> responses = client.batch(requests);
        for (int j = from; j < to; j++) {
          Ask ask = asks.get(sent.get(j));
          GraphResponse response = responses.get(j - from);
          Optional<String> refused =
              response.isOk()
                  ? Optional.empty()
                  : refusedMetric(response.error(), asked.get(j), ask.breakdown());
          if (refused.isPresent()) {
            drop(ask.kind(), refused.get(), response.error().summary());
            again.add(sent.get(j));
          } else {
            answers[sent.get(j)] = new Answer(ask, asked.get(j), response);
          }
        }
      }
      pending = again;
    }
    return List.of(answers);
  }

  /**
   * The metric of {@code requested} that {@code error} refuses, if it refuses one: Meta's code 100
   * messages name it ("does not support the X metric", "the X metric is no longer supported") or
   * list the valid ones ("metric[i] must be one of the following values: …"). Skip-rule errors
   * (2108006, 100/33) refuse no metric.
   */
  static Optional<String> refusedMetric(
      GraphApiError error, List<String> requested, boolean breakdown) {
    if (error == null
        || error.code() != 100
        || error.subcode() == 2108006
        || error.subcode() == 33) {
      return Optional.empty();
    }
    String message = error.message();
    for (Pattern named : List.of(NOT_FOR_KIND, RETIRED)) {
      Matcher m = named.matcher(message);
      if (m.find() && requested.contains(m.group(1))) {
        return Optional.of(m.group(1));
      }
    }
    Matcher listed = NOT_ONE_OF.matcher(message);
    if (listed.find()) {
      Set<String> valid =
          Arrays.stream(listed.group(2).split(",")).map(String::strip).collect(Collectors.toSet());
      Optional<String> invalid = requested.stream().filter(m -> !valid.contains(m)).findFirst();
      if (invalid.isPresent()) {
        return invalid;
      }
      int index = listed.group(1) == null ? -1 : Integer.parseInt(listed.group(1));
      if (index >= 0 && index < requested.size()) {
        return Optional.of(requested.get(index));
      }
    }
    // A split is asked for one metric: an invalid parameter there means Meta no longer splits it
    // that way.
    return breakdown && requested.size() == 1 ? Optional.of(requested.get(0)) : Optional.empty();
  }
}
