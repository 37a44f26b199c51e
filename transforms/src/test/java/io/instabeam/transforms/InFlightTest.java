package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightTest {
  /** Each test is a run of its own: its lanes are not those of another test. */
  private final String run = UUID.randomUUID().toString();

  /** Calls of one group only: the limit alone bounds them. */
  private InFlight<Integer, Integer> oneGroup(int limit) {
    return new InFlight<>(run, limit, limit, key -> "");
  }

  @Test
  void resultsComeBackInSubmissionOrderWhateverOrderCallsFinishIn() {
    InFlight<Integer, Integer> inFlight = oneGroup(8);
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      // later calls finish first
      inFlight.submit(
          n,
          () -> {
            Thread.sleep(5L * (20 - n));
            return n * n;
          },
          (key, value) -> {
            assertEquals(key * key, value);
            done.add(key);
          });
    }
    inFlight.drain((key, value) -> done.add(key));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(i);
    }
    assertEquals(expected, done);
  }

  @Test
  void callsRunConcurrentlyUpToTheLimitAndNeverMore() throws Exception {
    int limit = 4;
    InFlight<Integer, Integer> inFlight = oneGroup(limit);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch allStarted = new CountDownLatch(limit);
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int n = i;
      inFlight.submit(
          n,
          () -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            allStarted.countDown();
            // the first `limit` calls wait for each other: they can only all finish if they run at
            // once
            assertTrue(allStarted.await(10, TimeUnit.SECONDS), "calls did not run concurrently");
            Thread.sleep(20);
            running.decrementAndGet();
            return n;
          },
          (key, value) -> done.add(value));
    }
    inFlight.drain((key, value) -> done.add(value));
    assertEquals(limit, peak.get());
    assertEquals(12, done.size());
  }

  @Test
  void aFailedCallRethrowsItsExceptionOnTheCallersThreadAndCancelsTheRest() {
    InFlight<Integer, Integer> inFlight = oneGroup(3);
    IllegalStateException failure = new IllegalStateException("(#190) token expired");
    AtomicBoolean laterCallFinished = new AtomicBoolean();
    // the failure surfaces at the first submit or drain that finds it done
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () -> {
              inFlight.submit(
                  0,
                  () -> {
                    throw failure;
                  },
                  (key, value) -> {});
              Thread.sleep(100);
              inFlight.submit(
                  1,
                  () -> {
                    Thread.sleep(5_000);
                    laterCallFinished.set(true);
                    return 1;
                  },
                  (key, value) -> {});
              inFlight.drain((key, value) -> {});
            });
    assertSame(failure, thrown);
    inFlight.drain(
        (key, value) -> {
          throw new AssertionError("nothing is left after a failure");
        });
    assertTrue(!laterCallFinished.get());
  }

  @Test
  void oneGroupNeverHasMoreThanItsShareInFlightWhileOthersUseTheRest() throws Exception {
    // limit 8, at most 2 per group: keys 0..11, group = key % 3 ("accounts" 0, 1, 2), so at most 6
    // run at once
    InFlight<Integer, Integer> inFlight = new InFlight<>(run, 8, 2, key -> key % 3);
    AtomicInteger[] running = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    AtomicInteger[] peak = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    AtomicInteger total = new AtomicInteger();
    AtomicInteger totalPeak = new AtomicInteger();
    List<Integer> done = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int n = i;
      inFlight.submit(
          n,
          () -> {
            peak[n % 3].accumulateAndGet(running[n % 3].incrementAndGet(), Math::max);
            totalPeak.accumulateAndGet(total.incrementAndGet(), Math::max);
            Thread.sleep(50);
            running[n % 3].decrementAndGet();
            total.decrementAndGet();
            return n;
          },
          (key, value) -> done.add(value));
    }
    inFlight.drain((key, value) -> done.add(value));
    for (AtomicInteger groupPeak : peak) {
      assertEquals(2, groupPeak.get());
    }
    assertTrue(totalPeak.get() > 2, "groups ran side by side: " + totalPeak.get());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), done);
  }

  @Test
  void callsOfAnAccountThatWaitHoldNoThreadAnotherAccountsCallNeeds() throws Exception {
    // One DoFn's calls for an account whose budget is spent wait (here: on a latch), as many as its
    // lane allows.
    CountDownLatch budgetRefills = new CountDownLatch(1);
    InFlight<Integer, Integer> waiting = new InFlight<>(run, 8, 8, key -> "spent account");
    for (int i = 0; i < 8; i++) {
      waiting.submit(
          i,
          () -> {
            budgetRefills.await();
            return 0;
          },
          (key, value) -> {});
    }
    // Another DoFn's call for another account gets a thread and its answer meanwhile.
    InFlight<Integer, Integer> other = new InFlight<>(run, 8, 8, key -> "ready account");
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              other.submit(1, () -> 42, (key, value) -> answer.complete(value));
              other.drain((key, value) -> answer.complete(value));
            });
    caller.start();
    try {
      assertEquals(
          42,
          answer.get(30, TimeUnit.SECONDS),
          "the ready account's call was held behind the spent one's");
    } finally {
      budgetRefills.countDown();
      waiting.drain((key, value) -> {});
    }
  }

  @Test
  void aCallStartsOnlyOnceTheOlderOnesLeaveRoomUnderTheLimit() {
    // limit 1, the account would allow 4: the second call must not start while the first runs, even
    // for a moment
    InFlight<Integer, Integer> inFlight = new InFlight<>(run, 1, 4, key -> "account");
    CountDownLatch secondStarted = new CountDownLatch(1);
    List<Integer> done = new ArrayList<>();
    inFlight.submit(
        0, () -> secondStarted.await(2, TimeUnit.SECONDS) ? 1 : 0, (key, value) -> done.add(value));
    inFlight.submit(
        1,
        () -> {
          secondStarted.countDown();
          return 0;
        },
        (key, value) -> done.add(value));
    inFlight.drain((key, value) -> done.add(value));
    assertEquals(List.of(0, 0), done, "1: the second call ran while the first was in flight");
  }

  @Test
  void theDoFnInstancesOfOneRunShareAnAccountsLane() {
    // two DoFn instances of one run, one turn per account: their calls for the account never run
    // side by side
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<InFlight<Integer, Integer>> instances =
        List.of(
            new InFlight<>(run, 8, 1, key -> "account"),
            new InFlight<>(run, 8, 1, key -> "account"));
    for (int i = 0; i < 8; i++) {
      instances
          .get(i % 2)
          .submit(
              i,
              () -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(10);
                running.decrementAndGet();
                return 0;
              },
              (key, value) -> {});
    }
    instances.forEach(instance -> instance.drain((key, value) -> {}));
    assertEquals(1, peak.get());
  }

  @Test
  void anotherRunInTheSameJvmHasLanesOfItsOwn() throws Exception {
    // This run's only turn for the account is taken by a call that waits ...
    CountDownLatch release = new CountDownLatch(1);
    InFlight<Integer, Integer> first = new InFlight<>(run, 8, 1, key -> "account");
    first.submit(
        0,
        () -> {
          release.await();
          return 0;
        },
        (key, value) -> {});
    // ... and another run's call for the same account, with the same limit, gets its answer
    // meanwhile.
    InFlight<Integer, Integer> next =
        new InFlight<>(UUID.randomUUID().toString(), 8, 1, key -> "account");
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              next.submit(1, () -> 42, (key, value) -> answer.complete(value));
              next.drain((key, value) -> answer.complete(value));
            });
    caller.start();
    try {
      assertEquals(
          42,
          answer.get(30, TimeUnit.SECONDS),
          "the next run's call waited for the first run's turn");
    } finally {
      release.countDown();
      first.drain((key, value) -> {});
    }
  }
}
