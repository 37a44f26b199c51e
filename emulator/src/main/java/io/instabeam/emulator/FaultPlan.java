package io.instabeam.emulator;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the fault for the n-th occurrence of a request key by hashing (seed, key, n). The streak cap is
 * tracked per key, so the decisions for one key depend only on that key's own history, never on how
 * requests for other keys interleave.
 */
final class FaultPlan {
  enum Fault { NONE, DROP_CONNECTION, HTTP_500, HTTP_503, TRANSIENT_500, TRANSIENT_400, TRUNCATED_BODY }

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
    Faults f = faults;
    if (f.http5xxRate() + f.transientErrorRate() + f.dropConnectionRate() + f.truncatedBodyRate() == 0) {
      return Fault.NONE;
    }
    KeyHistory h = history.computeIfAbsent(key, k -> new KeyHistory());
    synchronized (h) {
      long n = h.occurrences++;
      Fault fault = h.streak >= f.maxConsecutiveFaults() ? Fault.NONE : draw(f, key, n);
      h.streak = fault == Fault.NONE ? 0 : h.streak + 1;
      return fault;
    }
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
    return u < edge ? Fault.TRUNCATED_BODY : Fault.NONE;
  }
}
