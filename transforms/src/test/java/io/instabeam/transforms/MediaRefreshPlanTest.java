package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MediaRefreshPlanTest {
  static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
  static final Duration DAY = Duration.ofDays(1);
  static final String ACCOUNT = "17841400000000001";

  static MediaRefreshPlan plan(Instant now, Instant lastRead, Map<String, String> engagement) {
    return new MediaRefreshPlan(
        now,
        Duration.ofDays(2),
        Duration.ofDays(30),
        Duration.ofDays(7),
        true,
        true,
        Map.of(ACCOUNT, NOW.minus(Duration.ofHours(3))),
        Map.of(ACCOUNT, new MediaRefreshPlan.InsightsRead(lastRead, engagement)));
  }

  @Test
  void olderItemsAreReadInARotationThatSpreadsEvenlyAndMeetsTheBound() {
    long seed = 20261201L;
    System.out.println("seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, String> engagement = new HashMap<>();
    for (int i = 0; i < 7000; i++) {
      engagement.put(
          "18" + (1_000_000_000_000_000L + random.nextLong(1_000_000_000_000_000L)), "5,1");
    }
    Instant created = NOW.minus(Duration.ofDays(100));
    Map<String, Instant> lastReadOf = new HashMap<>();
    Instant lastRun = NOW.minus(DAY);
    for (int day = 0; day < 21; day++) {
      Instant now = NOW.plus(DAY.multipliedBy(day));
      MediaRefreshPlan plan = plan(now, lastRun, engagement);
      int due = 0;
      for (String id : engagement.keySet()) {
        if (plan.decide(ACCOUNT, id, created, "5,1").readInsights()) {
          due++;
          lastReadOf.put(id, now);
        }
      }
      assertTrue(due > 800 && due < 1200, "about a seventh a day, day " + day + ": " + due);
      if (day >= 7) {
        for (String id : engagement.keySet()) {
          assertTrue(
              Duration.between(lastReadOf.get(id), now).compareTo(Duration.ofDays(6)) <= 0, id);
        }
      }
      lastRun = now;
    }
  }

  @Test
  void aMissedRunMakesTheNextOneReadWhatWasDueMeanwhile() {
    Map<String, String> engagement = new HashMap<>();
    for (int i = 0; i < 700; i++) {
      engagement.put("1790000000000" + i, "5,1");
    }
    Instant old = NOW.minus(Duration.ofDays(100));
    long daily =
        engagement.keySet().stream()
            .filter(
                id ->
                    plan(NOW, NOW.minus(DAY), engagement)
                        .decide(ACCOUNT, id, old, "5,1")
                        .readInsights())
            .count();
    long afterThree =
        engagement.keySet().stream()
            .filter(
                id ->
                    plan(NOW, NOW.minus(DAY.multipliedBy(3)), engagement)
                        .decide(ACCOUNT, id, old, "5,1")
                        .readInsights())
            .count();
    long afterAWeek =
        engagement.keySet().stream()
            .filter(
                id ->
                    plan(NOW, NOW.minus(DAY.multipliedBy(7)), engagement)
                        .decide(ACCOUNT, id, old, "5,1")
                        .readInsights())
            .count();
    assertTrue(afterThree > 2 * daily, daily + " vs " + afterThree);
    assertEquals(700, afterAWeek);
    assertEquals(
        0,
        engagement.keySet().stream()
            .filter(
                id ->
                    plan(NOW, NOW.minus(Duration.ofHours(1)), engagement)
                        .decide(ACCOUNT, id, old, "5,1")
                        .readInsights())
            .count(),
        "a second run on the same day has nothing due");
  }

  @Test
  void youngMovedAndNewItemsAreReadEveryRunItemsPastRetentionNever() {
    String id = "17900000000000001";
    Instant lastRun = NOW.minus(Duration.ofHours(1)); // nothing due from the rotation
    MediaRefreshPlan plan = plan(NOW, lastRun, Map.of(id, "5,1"));
    Instant old = NOW.minus(Duration.ofDays(100));
    assertFalse(plan.decide(ACCOUNT, id, old, "5,1").readInsights());
    assertFalse(
        plan.decide(ACCOUNT, id, old, "5,1").publish(),
        "an old unchanged item is not published again");
    assertTrue(plan.decide(ACCOUNT, id, old, "6,1").readInsights(), "likes moved");
    assertTrue(plan.decide(ACCOUNT, id, old, "6,1").publish(), "likes moved");
    assertTrue(plan.decide(ACCOUNT, id, old, "5,2").readInsights(), "comments moved");
    assertTrue(
        plan.decide(ACCOUNT, "17900000000000002", old, "5,1").readInsights(), "not seen before");
    assertTrue(
        plan.decide(ACCOUNT, id, NOW.minus(Duration.ofDays(29)), "5,1").readInsights(), "young");
    assertTrue(plan.decide(ACCOUNT, id, NOW.minus(Duration.ofDays(29)), "5,1").publish(), "young");
    MediaRefreshPlan weekLater = plan(NOW, NOW.minus(Duration.ofDays(8)), Map.of(id, "5,1"));
    assertTrue(weekLater.decide(ACCOUNT, id, old, "5,1").readInsights());
    assertFalse(
        weekLater.decide(ACCOUNT, id, NOW.minus(Duration.ofDays(800)), "5,1").readInsights(),
        "Meta keeps no insights past two years");
    assertTrue(
        plan.decide("17841400000000002", id, NOW.minus(Duration.ofDays(800)), "5,1").readInsights(),
        "an account new to the state is read whole");
  }

  @Test
  void theEdgeIsReadWholeForInsightsElseFromTheWindow() {
    MediaRefreshPlan both = plan(NOW, NOW.minus(DAY), Map.of());
    assertEquals(MediaTimeRange.all(), both.readRange(ACCOUNT));
    MediaRefreshPlan itemsOnly =
        new MediaRefreshPlan(
            NOW,
            Duration.ofDays(2),
            Duration.ofDays(30),
            Duration.ofDays(7),
            true,
            false,
            Map.of(ACCOUNT, NOW.minus(Duration.ofHours(3))),
            Map.of());
    assertEquals(
        NOW.minus(Duration.ofDays(30)).getEpochSecond(), itemsOnly.readRange(ACCOUNT).since());
    assertEquals(MediaTimeRange.all(), itemsOnly.readRange("17841400000000002"));
    assertTrue(
        MediaRefreshPlan.fullRefresh(NOW)
            .decide(ACCOUNT, "1", NOW.minus(Duration.ofDays(900)), "0,0")
            .equals(new MediaRefreshPlan.Decision(true, true)));
  }
}
