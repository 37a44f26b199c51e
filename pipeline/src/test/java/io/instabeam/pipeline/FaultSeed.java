package io.instabeam.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a test's random draws (the faults an emulator injects, where a run is killed): the
 * one given by {@code -Dinstabeam.faultSeed=N}, to replay a failure, or else a fresh one. Either
 * way it is printed, and the tests put it in every assertion message.
 */
final class FaultSeed {
  static final String PROPERTY = "instabeam.faultSeed";

  private FaultSeed() {}

  /**
   * The seed for {@code what} (the test and the run it draws for), printed with how to replay it.
   */
  static long draw(String what) {
    Long given = Long.getLong(PROPERTY);
    long seed = given != null ? given : ThreadLocalRandom.current().nextLong();
    System.out.println(
        what + ": fault seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")");
    return seed;
  }
}
