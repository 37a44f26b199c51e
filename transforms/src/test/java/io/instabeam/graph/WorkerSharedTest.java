package io.instabeam.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerSharedTest {
  final WorkerShared<Object> shared = new WorkerShared<>();
  final AtomicInteger made = new AtomicInteger();

  Object get(String key) {
    return shared.get(
        key,
        () -> {
          made.incrementAndGet();
          return new Object();
        });
  }

  @Test
  void oneValuePerKeyWhileItIsHeld() {
    Object held = get("run-a");
    assertSame(held, get("run-a"));
    assertNotSame(held, get("run-b"));
    assertEquals(2, made.get());
  }

  @Test
  void aValueNoOneHoldsIsForgottenAndMadeAfresh() {
    WeakReference<Object> collected = new WeakReference<>(get("run-a"));
    for (int i = 0; i < 50 && collected.get() != null; i++) {
      System.gc();
    }
    assertNull(collected.get(), "the value of a run that ended is kept");
    get("run-a");
    assertEquals(2, made.get());
  }
}
