package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.junit.jupiter.api.Test;

/** The media time range restriction and its tracker: boundaries, ties, checkpoints and splits. */
class MediaTimeRangeTrackerTest {

  @Test
  void anItemOnASplitBoundaryBelongsToTheNewerRangeOnly() {
    Instant anchor = Instant.parse("2026-01-01T00:00:00Z");
    List<MediaTimeRange> ranges =
        MediaTimeRange.all().splitByPeriod(anchor, Duration.ofDays(365), 4);
    assertEquals(4, ranges.size());
    long boundary = anchor.minus(Duration.ofDays(365)).getEpochSecond();
    long owners = ranges.stream().filter(r -> r.covers(boundary, "x")).count();
    assertEquals(1, owners);
    assertTrue(
        ranges.get(0).covers(boundary, "x"), "the newest range starts at the boundary, inclusive");
    assertFalse(ranges.get(1).covers(boundary, "x"), "the next range ends before it, exclusive");
    assertEquals(MediaTimeRange.OPEN, ranges.get(0).until());
    assertEquals(MediaTimeRange.FLOOR, ranges.get(3).since());
  }

  @Test
  void theInitialSplitIsBoundedAndStopsAtTheFloor() {
    List<MediaTimeRange> ranges =
        MediaTimeRange.all()
            .splitByPeriod(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(30), 1000);
    assertTrue(ranges.size() < 200, "ranges are never older than Instagram: " + ranges.size());
    assertEquals(
        1, MediaTimeRange.all().splitByPeriod(Instant.now(), Duration.ofDays(365), 1).size());
  }

  @Test
  void requestsAreWidenedByASecondOnBothSidesBecauseMetaDoesNotSayWhichEndIsInclusive() {
    MediaTimeRange range = MediaTimeRange.of(1_700_000_000L, 1_700_086_400L);
    assertEquals("1699999999", range.sinceParameter());
    assertEquals("1700086401", range.untilParameter());
    assertNull(MediaTimeRange.all().sinceParameter());
    assertNull(MediaTimeRange.all().untilParameter());
  }

  @Test
  void aClaimBelowTheRangeFailsAndFinishesTheRead() {
    MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(MediaTimeRange.of(100, 200));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(150, "a"))));
    assertFalse(tracker.tryClaim(PageClaim.of(new MediaPosition(99, "b"))));
    tracker.checkDone();
  }

  @Test
  void anItemOutOfOrderInThePartAlreadyReadIsClaimedWithoutMovingThePosition() {
    MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(MediaTimeRange.of(100, 200));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(150, "a"))));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(151, "b"))));
    assertFalse(
        tracker.tryClaim(PageClaim.of(new MediaPosition(250, "c"))),
        "outside the range: someone else's");
    SplitResult<MediaTimeRange> split = tracker.trySplit(0);
    assertTrue(
        split.getResidual().until() <= 150, "the residual starts below the newest-first position");
  }

  @Test
  void aReadThatStopsBeforeTheEndOfItsRangeIsNotDone() {
    MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(MediaTimeRange.of(100, 200));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(150, "a"))));
    assertThrows(IllegalStateException.class, tracker::checkDone);
  }

  @Test
  void aCheckpointInsideATieHandsTheUnreadPartOfTheTieToTheResidual() {
    MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(MediaTimeRange.of(100, 200));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(150, "a"))));
    SplitResult<MediaTimeRange> split = tracker.trySplit(0);
    assertNotNull(split);
    MediaTimeRange residual = split.getResidual();
    assertFalse(residual.covers(150, "a"), "already read");
    assertTrue(residual.covers(150, "b"), "the rest of the tie");
    assertTrue(residual.covers(100, "c"));
    assertFalse(
        tracker.tryClaim(PageClaim.of(new MediaPosition(150, "b"))),
        "the primary stops at the tie's unread items");
    tracker.checkDone();
  }

  @Test
  void aDynamicSplitCutsBelowTheLastClaimedSecondAndKeepsTheNewerPart() {
    MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(MediaTimeRange.of(0, 1000));
    assertTrue(tracker.tryClaim(PageClaim.of(new MediaPosition(800, "a"))));
    SplitResult<MediaTimeRange> split = tracker.trySplit(0.5);
    assertEquals(400, split.getPrimary().since());
    assertEquals(MediaTimeRange.of(0, 400), split.getResidual());
    assertTrue(
        tracker.tryClaim(PageClaim.of(new MediaPosition(800, "b"))),
        "the tie at the last claim stays with the primary");
    assertFalse(tracker.tryClaim(PageClaim.of(new MediaPosition(399, "c"))));
  }

  /**
   * Reads a simulated edge (newest first, many ties) with a checkpoint after a random number of
   * items each time, resuming from the residual as a runner would: every item is read exactly once.
   */
  @Test
  void readingWithRandomCheckpointsReadsEveryItemExactlyOnce() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<MediaPosition> edge = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        edge.add(
            new MediaPosition(
                100 + random.nextInt(20), "m" + i)); // 60 items on 20 seconds: ties everywhere
      }
      edge.sort((x, y) -> Long.compare(y.second(), x.second()));
      List<String> read = new ArrayList<>();
      Deque<MediaTimeRange> work =
          new ArrayDeque<>(
              MediaTimeRange.of(90, 130)
                  .splitByPeriod(Instant.ofEpochSecond(125), Duration.ofSeconds(7), 4));
      while (!work.isEmpty()) {
        MediaTimeRange range = work.pop();
        MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(range);
        int checkpointAfter = random.nextInt(8);
        int claimed = 0;
        boolean stopped = false;
        for (MediaPosition item : edge) {
          if (range.isAbove(item.second(), item.id())) {
            continue;
          }
          if (!tracker.tryClaim(PageClaim.of(item))) {
            stopped = true;
            break;
          }
          read.add(item.id());
          if (++claimed == checkpointAfter) {
            SplitResult<MediaTimeRange> split = tracker.trySplit(0);
            if (split != null) {
              work.push(split.getResidual());
            }
          }
        }
        if (!stopped) {
          tracker.tryClaim(PageClaim.end());
        }
        tracker.checkDone();
      }
      List<String> expected = edge.stream().map(MediaPosition::id).sorted().toList();
      assertEquals(expected, read.stream().sorted().toList(), "round " + round);
    }
  }

  /**
   * Reads a simulated edge a page at a time, with checkpoints and dynamic splits at random between
   * page claims (so a split may cut the next page, fetched but not yet claimed): the reader outputs
   * the claimed part of each page and stops when a page was not claimed whole. Every item is read
   * exactly once.
   */
  @Test
  void readingPagesWithRandomSplitsReadsEveryItemExactlyOnce() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      List<MediaPosition> edge = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        edge.add(new MediaPosition(100 + random.nextInt(30), "m" + i));
      }
      edge.sort((x, y) -> Long.compare(y.second(), x.second()));
      List<String> read = new ArrayList<>();
      Deque<MediaTimeRange> work = new ArrayDeque<>(List.of(MediaTimeRange.of(90, 140)));
      while (!work.isEmpty()) {
        MediaTimeRange range = work.pop();
        MediaTimeRangeTracker tracker = new MediaTimeRangeTracker(range);
        List<MediaPosition> mine =
            edge.stream().filter(item -> !range.isAbove(item.second(), item.id())).toList();
        boolean stopped = false;
        for (int from = 0; from < mine.size() && !stopped; ) {
          List<MediaPosition> page =
              mine.subList(from, Math.min(mine.size(), from + 1 + random.nextInt(10)));
          from += page.size();
          int dice = random.nextInt(4);
          SplitResult<MediaTimeRange> split =
              dice == 0
                  ? tracker.trySplit(0)
                  : dice == 1 ? tracker.trySplit(random.nextDouble()) : null;
          if (split != null) {
            work.push(split.getResidual());
          }
          PageClaim claim = new PageClaim(page);
          if (tracker.tryClaim(claim)) {
            page.subList(0, claim.claimed()).forEach(item -> read.add(item.id()));
          }
          stopped = !claim.claimedAll();
        }
        if (!stopped) {
          tracker.tryClaim(PageClaim.end());
        }
        tracker.checkDone();
      }
      List<String> expected = edge.stream().map(MediaPosition::id).sorted().toList();
      assertEquals(expected, read.stream().sorted().toList(), "round " + round);
    }
  }
}
