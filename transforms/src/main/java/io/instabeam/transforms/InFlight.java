package io.instabeam.transforms;

import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;

/**
 * Lets one DoFn thread keep several blocking Graph API round trips in flight: calls run on a pool shared by the
 * worker JVM (one per limit, so the limit holds for the worker, whatever its number of DoFn threads), and their
 * results come back to the DoFn's own thread in submission order, where it may output them. Runners give a batch job
 * about one thread per core; a call waits on the network far longer than it computes, so without this the calls
 * in flight, not Meta's rate limits, would set the pace.
 *
 * <p>At most {@code limit} calls of one DoFn instance are pending at once (so memory stays bounded), and at most
 * {@code perGroup} of one group (an account: calls beyond its concurrency would only hold pool threads that other
 * accounts' calls could use); a call's Beam metrics are counted in the bundle that submitted it. The first call that
 * fails cancels the others and its exception is rethrown on the DoFn's thread, so the runner retries or fails the
 * bundle as usual.
 *
 * @param <K> what the caller needs to handle a result (the request's items)
 * @param <V> a call's result
 */
final class InFlight<K, V> {
  private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

  private record Call<K, V>(K key, Future<V> result) {}

  private final ExecutorService pool;
  private final int limit;
  private final int perGroup;
  private final Function<K, ?> groupOf;
  private final ArrayDeque<Call<K, V>> pending = new ArrayDeque<>();

  InFlight(int limit, int perGroup, Function<K, ?> groupOf) {
    this.limit = Math.max(1, limit);
    this.perGroup = Math.max(1, perGroup);
    this.groupOf = groupOf;
    this.pool = POOLS.computeIfAbsent(this.limit, InFlight::newPool);
  }

  private static ExecutorService newPool(int threads) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "graph-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts {@code call} once fewer than {@code perGroup} calls of its group are pending; then hands every call that
   * has finished, oldest first, to {@code done}, waiting for the oldest while more than the limit are pending.
   */
  void submit(K key, Callable<V> call, BiConsumer<K, V> done) {
    Object group = groupOf.apply(key);
    while (pending.stream().filter(c -> group.equals(groupOf.apply(c.key()))).count() >= perGroup) {
      takeOldest(done);
    }
    MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
    pending.add(new Call<>(key, pool.submit(() -> {
      try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
        return call.call();
      }
    })));
    while (!pending.isEmpty() && (pending.size() > limit || pending.peek().result().isDone())) {
      takeOldest(done);
    }
  }

  /** Waits for every pending call and hands the results to {@code done} in submission order. */
  void drain(BiConsumer<K, V> done) {
    while (!pending.isEmpty()) {
      takeOldest(done);
    }
  }

  /** Cancels what is still pending (a bundle that failed elsewhere). */
  void cancel() {
    pending.forEach(c -> c.result().cancel(true));
    pending.clear();
  }

  private void takeOldest(BiConsumer<K, V> done) {
    Call<K, V> oldest = pending.poll();
    V value;
    try {
      value = oldest.result().get();
    } catch (InterruptedException e) {
      cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a Graph API call", e);
    } catch (ExecutionException e) {
      cancel();
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
    done.accept(oldest.key(), value);
  }
}
