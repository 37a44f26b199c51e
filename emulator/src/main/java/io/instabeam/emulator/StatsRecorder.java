package io.instabeam.emulator;

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
        copy(faults), app, Collections.unmodifiableMap(new TreeMap<>(usageByAccount)));
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
  }

  private static Map<String, Long> copy(Map<String, Long> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
