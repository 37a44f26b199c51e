package io.instabeam.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RequestDeadlineTest {
  @Test
  void theDeadlineOfAnExchangeThatEndedInTimeIsNotKeptUntilItWouldHaveExpired() {
    int before = RequestDeadline.queued();
    for (int i = 0; i < 100; i++) {
      RequestDeadline.start(60_000).close();
    }
    assertEquals(
        before, RequestDeadline.queued(), "deadlines of answered requests left on the timer");
  }
}
