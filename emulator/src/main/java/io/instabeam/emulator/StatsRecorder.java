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
  private final Map<String, Integer> inFlightByKind = new TreeMap<>();
  private final Map<String, Integer> peakInFlightByKind = new TreeMap<>();
  private long servingNanos;
  private long firstStartNanos;
  private long lastEndNanos;
  private long firstStartEpochMillis;

  /**
   * Start and end (System.nanoTime) of every answered request, for the in-flight profile over time.
   */
  private final List<long[]> served = new ArrayList<>();

  /**
   * An HTTP request to the API started (latency included); returns its start, for {@link #served}.
   */
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

  /**
   * An API request of {@code kind} is being served (its latency included), once its kind is known.
   */
  synchronized void serving(String kind) {
    int now = inFlightByKind.merge(kind, 1, Integer::sum);
    peakInFlightByKind.merge(kind, now, Math::max);
  }

  /**
   * The API request of {@code kind} counted by {@link #serving(String)} was answered (or dropped).
   */
  synchronized void served(String kind) {
    inFlightByKind.merge(kind, -1, Integer::sum);
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
    notifyAll();
  }

  /**
   * Waits until an HTTP request (not a batch's sub-request) of {@code kind} has been recorded, at
   * most {@code timeoutMillis}; returns whether one was.
   */
  synchronized boolean awaitRecorded(String kind, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (requests.stream().noneMatch(r -> !r.batched() && kind.equals(r.kind()))) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  synchronized List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized EmulatorStats snapshot(Usage app, Map<String, Usage> usageByAccount) {
    return new EmulatorStats(
        httpRequests,
        calls,
        copy(requestsByKind),
        copy(callsByKind),
        copy(callsByAccount),
        copy(errorsByHttpStatus),
        copy(errorsByCode),
        copy(rateLimitErrorsByAccount),
        appRateLimitErrors,
        copy(faults),
        app,
        Collections.unmodifiableMap(new TreeMap<>(usageByAccount)),
        new EmulatorStats.Concurrency(
            peakInFlight,
            Collections.unmodifiableMap(new TreeMap<>(peakInFlightByKind)),
            servingNanos / 1_000_000,
            firstStartEpochMillis == 0 ? null : Instant.ofEpochMilli(firstStartEpochMillis),
            firstStartNanos == 0 ? 0 : Math.max(0, lastEndNanos - firstStartNanos) / 1_000_000,
            byTenth()));
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
    peakInFlightByKind.clear();
    inFlightByKind.forEach(
        (kind, n) -> {
          if (n > 0) {
            peakInFlightByKind.put(kind, n);
          }
        });
    servingNanos = 0;
    firstStartNanos = 0;
    firstStartEpochMillis = 0;
    lastEndNanos = 0;
  }

  /**
   * The average number of requests in flight in each tenth of the span from the first start to the
   * last end.
   */
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
