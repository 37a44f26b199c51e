package io.instabeam.transforms;

import io.instabeam.graph.WorkerShared;
import java.io.Closeable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.MetricsContainer;
import org.apache.beam.sdk.metrics.MetricsEnvironment;

/**
 * Lets one DoFn thread keep several blocking Graph API round trips in flight: calls run on threads
 * shared by the worker JVM, and their results come back to the DoFn's own thread in submission
 * order, where it may output them. Runners give a batch job about one thread per core; a call waits
 * on the network far longer than it computes, so without this the calls in flight, not Meta's rate
 * limits, would set the pace.
 *
 * <p>At most {@code limit} calls of one DoFn instance are pending at once (so memory stays
 * bounded). Calls of one group (an account) of one run run at most {@code perGroup} at a time in
 * the JVM, whoever submitted them; the rest wait in the group's lane, holding no thread (another
 * run in the same JVM has lanes of its own). A call may wait inside its account's rate budget for a
 * long time: it then holds one of its own account's turns, never a thread that another account's
 * ready call needs. A call's Beam metrics are counted in the bundle that submitted it. The first
 * call that fails cancels the others and its exception is rethrown on the DoFn's thread, so the
 * runner retries or fails the bundle as usual.
 *
 * @param <K> what the caller needs to handle a result (the request's items)
 * @param <V> a call's result
 */
final class InFlight<K, V> {
  /**
   * The worker's threads, shared by every run in the JVM: a cached pool's threads end after a
   * minute idle, so a run that ended leaves none behind and the pool needs no shutdown.
   */
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "graph-api-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private static final WorkerShared<Lane> LANES = new WorkerShared<>();

  private record Call<K, V>(K key, Future<V> result) {}

  private final String run;
  private final int limit;
  private final int perGroup;
  private final Function<K, ?> groupOf;
  private final ArrayDeque<Call<K, V>> pending = new ArrayDeque<>();

  /**
   * The lanes this instance has used, by group: held here, so that they stay shared while it lives.
   */
  private final Map<Object, Lane> lanes = new HashMap<>();

  /**
   * Calls of {@code run} (see {@link io.instabeam.graph.GraphApiConfig#run}), grouped by {@code
   * groupOf}.
   */
  InFlight(String run, int limit, int perGroup, Function<K, ?> groupOf) {
    this.run = run;
    this.limit = Math.max(1, limit);
    this.perGroup = Math.max(1, perGroup);
    this.groupOf = groupOf;
  }

  /**
   * Waits for the oldest calls (handing each to {@code done}) while the limit are pending, starts
   * {@code call} in its group's lane, then hands every call that has finished, oldest first, to
   * {@code done}.
   */
  void submit(K key, Callable<V> call, BiConsumer<K, V> done) {
    while (pending.size() >= limit) {
      takeOldest(
          done); // before the new call starts: never more than the limit in flight, even for a
      // moment
    }
    MetricsContainer metrics = MetricsEnvironment.getCurrentContainer();
    FutureTask<V> task =
        new FutureTask<>(
            () -> {
              try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(metrics)) {
                return call.call();
              }
            });
    Lane lane =
        lanes.computeIfAbsent(
            groupOf.apply(key),
            group -> LANES.get(List.of(run, group, perGroup), () -> new Lane(perGroup)));
    lane.execute(task);
    pending.add(new Call<>(key, task));
    while (!pending.isEmpty() && pending.peek().result().isDone()) {
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

  /**
   * The calls of one group: at most {@code slots} run at once, the others wait their turn without a
   * thread.
   */
  private static final class Lane {
    private final int slots;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    Lane(int slots) {
      this.slots = slots;
    }

    synchronized void execute(Runnable task) {
      if (running < slots) {
        running++;
        POOL.execute(() -> runThenTheNext(task));
      } else {
        waiting.add(task);
      }
    }

    /** Runs the task, then the lane's waiting ones on the same thread, until none waits. */
    private void runThenTheNext(Runnable task) {
      for (Runnable next = task; next != null; ) {
        next.run(); // a FutureTask: it keeps its own exception, and does nothing once cancelled
        synchronized (this) {
          next = waiting.poll();
          if (next == null) {
            running--;
          }
        }
      }
    }
  }
}
