package io.instabeam.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the fault for the n-th occurrence of a request key by hashing (seed, key, n). The streak
 * cap is tracked per key, so the decisions for one key depend only on that key's own history, never
 * on how requests for other keys interleave; except that a fault on a batch POST also counts
 * against the streak of every sub-request it carries ({@link #next(GraphRequest)}), so that the cap
 * bounds the faults in a row each sub-request sees, whichever batches carry it.
 */
final class FaultPlan {
  enum Fault {
    NONE,
    DROP_CONNECTION,
    HTTP_500,
    HTTP_503,
    TRANSIENT_500,
    TRANSIENT_400,
    TRUNCATED_BODY,
    SLOW_HEADERS,
    TRICKLED_BODY
  }

  private static final class KeyHistory {
    long occurrences;
    int streak;
  }

  private final long seed;
  private volatile Faults faults;
  private final ConcurrentHashMap<String, KeyHistory> history = new ConcurrentHashMap<>();

  FaultPlan(long seed, Faults faults) {
    this.seed = seed;
    this.faults = faults;
  }

  Faults faults() {
    return faults;
  }

  void reset() {
    history.clear();
  }

  Fault next(String key) {
    return next(key, false);
  }

  /** The fault for the next occurrence of {@code key}; none when {@code held} or at the cap. */
  private Fault next(String key, boolean held) {
    Faults f = faults;
    if (f.httpFaultRate() == 0) {
      return Fault.NONE;
    }
    KeyHistory h = history.computeIfAbsent(key, k -> new KeyHistory());
    synchronized (h) {
      long n = h.occurrences++;
      Fault fault = held || h.streak >= f.maxConsecutiveFaults() ? Fault.NONE : draw(f, key, n);
      h.streak = fault == Fault.NONE ? 0 : h.streak + 1;
      return fault;
    }
  }

  /** The key under which a batch's sub-request draws its own faults. */
  static String batchItemKey(GraphRequest item) {
    return "batch item " + item.key();
  }

  /**
   * The fault for an HTTP request, drawn as {@link #next(String)} does; for a batch POST none once
   * one of its sub-requests has had the cap's faults in a row (a batch fault fails every
   * sub-request in it), and a fault drawn adds to each sub-request's streak.
   */
  Fault next(GraphRequest request) {
    Faults f = faults;
    String key = request.key();
    List<GraphRequest> items = f.httpFaultRate() == 0 ? List.of() : request.batchItems();
    if (items.isEmpty()) {
      return next(key);
    }
    List<KeyHistory> carried = new ArrayList<>();
    items.forEach(
        item -> carried.add(history.computeIfAbsent(batchItemKey(item), k -> new KeyHistory())));
    boolean capped = false;
    for (KeyHistory h : carried) {
      synchronized (h) {
        capped |= h.streak >= f.maxConsecutiveFaults();
      }
    }
    Fault fault = next(key, capped);
    if (fault != Fault.NONE) {
      for (KeyHistory h : carried) {
        synchronized (h) {
          h.streak++;
        }
      }
    }
    return fault;
  }

  /**
   * Whether the n-th occurrence of {@code kind} for {@code key} is hit by a fault of that kind
   * drawn at {@code rate} (one of the answer faults: a malformed page, swapped batch answers),
   * under the same streak cap as {@link #next(String)}; each kind keeps its own history, so it
   * never changes the draws of the others.
   */
  boolean hits(String kind, String key, double rate) {
    if (rate == 0) {
      return false;
    }
    String historyKey = kind + " " + key;
    KeyHistory h = history.computeIfAbsent(historyKey, k -> new KeyHistory());
    synchronized (h) {
      long n = h.occurrences++;
      boolean hit =
          h.streak < faults.maxConsecutiveFaults()
              && StableHash.unit(StableHash.of(seed, kind, key, n)) < rate;
      h.streak = hit ? h.streak + 1 : 0;
      return hit;
    }
  }

  /**
   * A fair coin for the variant of a fault, from the seed: the same for every occurrence of the
   * key.
   */
  boolean variant(String kind, String key) {
    return (StableHash.mix(StableHash.of(seed, kind + " variant", key)) & 1) == 0;
  }

  private Fault draw(Faults f, String key, long n) {
    long hash = StableHash.of(seed, "fault", key, n);
    double u = StableHash.unit(hash);
    boolean firstVariant = (StableHash.mix(hash) & 1) == 0;
    double edge = f.dropConnectionRate();
    if (u < edge) {
      return Fault.DROP_CONNECTION;
    }
    edge += f.http5xxRate();
    if (u < edge) {
      return firstVariant ? Fault.HTTP_500 : Fault.HTTP_503;
    }
    edge += f.transientErrorRate();
    if (u < edge) {
      return firstVariant ? Fault.TRANSIENT_500 : Fault.TRANSIENT_400;
    }
    edge += f.truncatedBodyRate();
    if (u < edge) {
      return Fault.TRUNCATED_BODY;
    }
    edge += f.slowHeadersRate();
    if (u < edge) {
      return Fault.SLOW_HEADERS;
    }
    edge += f.trickledBodyRate();
    return u < edge ? Fault.TRICKLED_BODY : Fault.NONE;
  }
}
