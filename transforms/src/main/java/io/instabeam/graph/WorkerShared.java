package io.instabeam.graph;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Objects that the DoFn instances of one run share in a worker JVM, such as an account's rate
 * budget: one per key for as long as someone holds it, forgotten once no one does. Keys name the
 * run, so a JVM that runs several pipelines (a test suite, a Flink session cluster) gives each run
 * its own, with its own limits, and keeps nothing of the runs that ended. A holder keeps its values
 * in a field for as long as it needs them shared.
 *
 * @param <V> what is shared
 */
public final class WorkerShared<V> {
  private final Map<Object, WeakReference<V>> values = new HashMap<>();

  /** The value of {@code key}, made by {@code create} when no one holds one. */
  public synchronized V get(Object key, Supplier<V> create) {
    WeakReference<V> held = values.get(key);
    V value = held == null ? null : held.get();
    if (value == null) {
      values.values().removeIf(ref -> ref.get() == null); // the values of runs that ended
      value = create.get();
      values.put(key, new WeakReference<>(value));
    }
    return value;
  }
}
