package io.instabeam.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Thread-safe counters behind {@link EmulatorStats} plus the list of {@link RecordedRequest}s. */
final class StatsRecorder {
  private long httpRequests;
  private long calls;
  private final Map<String, Long> requestsByKind = new TreeMap<>();
  private final Map<String, Long> callsByKind = new TreeMap<>();
  private final Map<String, Long> callsByAccount = new TreeMap<>();
  private final Map<String, Long> errorsByHttpStatus = new TreeMap<>();
  private final Map<String, Long> errorsByCode = new TreeMap<>();
  private final Map<String, Long> rateLimitErrorsByAccount = new TreeMap<>();
  private long appRateLimitErrors;
  private final Map<String, Long> faults = new TreeMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private int inFlight;
  private int peakInFlight;
  private long servingNanos;
  private long firstStartNanos;
  private long lastEndNanos;
  private long firstStartEpochMillis;
  /** Start and end (System.nanoTime) of every answered request, for the in-flight profile over time. */
  private final List<long[]> served = new ArrayList<>();

  /** An HTTP request to the API started (latency included); returns its start, for {@link #served}. */
  synchronized long serving() {
    long now = System.nanoTime();
    if (firstStartNanos == 0) {
      firstStartNanos = now;
      firstStartEpochMillis = System.currentTimeMillis();
    }
    peakInFlight = Math.max(peakInFlight, ++inFlight);
    return now;
  }

  /** The HTTP request that started at {@code startNanos} was answered (or dropped). */
  synchronized void served(long startNanos) {
    long now = System.nanoTime();
    inFlight--;
    servingNanos += now - startNanos;
    lastEndNanos = now;
    served.add(new long[] {startNanos, now});
  }

  synchronized void httpRequest(String kind) {
    httpRequests++;
    requestsByKind.merge(kind, 1L, Long::sum);
  }

  synchronized void call(String kind, String accountId) {
    calls++;
    callsByKind.merge(kind, 1L, Long::sum);
    if (accountId != null) {
      callsByAccount.merge(accountId, 1L, Long::sum);
    }
  }

  synchronized void error(int httpStatus, Integer code) {
    errorsByHttpStatus.merge(Integer.toString(httpStatus), 1L, Long::sum);
    if (code != null) {
      errorsByCode.merge(Integer.toString(code), 1L, Long::sum);
    }
  }

  synchronized void accountRateLimited(String accountId) {
    rateLimitErrorsByAccount.merge(accountId, 1L, Long::sum);
  }

  synchronized void appRateLimited() {
    appRateLimitErrors++;
  }

  synchronized void fault(String kind) {
    faults.merge(kind, 1L, Long::sum);
  }

  synchronized void record(RecordedRequest request) {
    requests.add(request);
  }

  synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized EmulatorStats snapshot(Usage app, Map<String, Usage> usageByAccount) {
    return new EmulatorStats(httpRequests, calls, copy(requestsByKind), copy(callsByKind), copy(callsByAccount),
        copy(errorsByHttpStatus), copy(errorsByCode), copy(rateLimitErrorsByAccount), appRateLimitErrors,
        copy(faults), app, Collections.unmodifiableMap(new TreeMap<>(usageByAccount)),
        new EmulatorStats.Concurrency(peakInFlight, servingNanos / 1_000_000,
            firstStartEpochMillis == 0 ? null : Instant.ofEpochMilli(firstStartEpochMillis),
            firstStartNanos == 0 ? 0 : Math.max(0, lastEndNanos - firstStartNanos) / 1_000_000, byTenth()));
  }

  synchronized void reset() {
    httpRequests = 0;
    calls = 0;
    appRateLimitErrors = 0;
    requestsByKind.clear();
    callsByKind.clear();
    callsByAccount.clear();
    errorsByHttpStatus.clear();
    errorsByCode.clear();
    rateLimitErrorsByAccount.clear();
    faults.clear();
    requests.clear();
    served.clear();
    peakInFlight = inFlight;
    servingNanos = 0;
    firstStartNanos = 0;
    firstStartEpochMillis = 0;
    lastEndNanos = 0;
  }

  /** The average number of requests in flight in each tenth of the span from the first start to the last end. */
  private List<Double> byTenth() {
    if (firstStartNanos == 0 || lastEndNanos <= firstStartNanos) {
      return List.of();
    }
    double tenth = (lastEndNanos - firstStartNanos) / 10.0;
    double[] busy = new double[10];
    for (long[] request : served) {
      for (int i = 0; i < 10; i++) {
        double from = Math.max(request[0], firstStartNanos + i * tenth);
        double to = Math.min(request[1], firstStartNanos + (i + 1) * tenth);
        busy[i] += Math.max(0, to - from);
      }
    }
    return java.util.Arrays.stream(busy).map(nanos -> nanos / tenth).boxed().toList();
  }

  private static Map<String, Long> copy(Map<String, Long> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
