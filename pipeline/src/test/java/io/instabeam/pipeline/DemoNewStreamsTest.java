package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo shows the streams Airbyte lacks: {@code --demo --streams=…} writes records for each,
 * with the demo's competitor profiles as {@code --competitors}; and what each new stream costs in
 * calls on the demo data set.
 */
class DemoNewStreamsTest {
  @Test
  void theDemoWritesCommentsTaggedMediaCompetitorsAndTheirMedia(@TempDir Path out) {
    JobHarness.Run run =
        JobHarness.run(
            "--demo",
            "--streams=media_comments,tagged_media,competitors,competitor_media",
            "--output=" + out);
    assertEquals(0, run.exitCode(), run.err());
    Map<String, List<ObjectNode>> published = JobHarness.published(out);
    for (String stream :
        List.of("media_comments", "tagged_media", "competitors", "competitor_media")) {
      assertFalse(published.getOrDefault(stream, List.of()).isEmpty(), stream + ": " + run.out());
    }
    assertEquals(3, published.get("competitors").size());
    assertTrue(run.out().contains("competitors-not-a-professional-account=1"), run.out());
  }

  /**
   * The calls of each new stream alone on the demo data set (docs/streams.md lists them). Comments
   * come with their media page, so the stream costs fewer calls than one per media item that has
   * comments.
   */
  @Test
  void commentsCostFewerCallsThanOnePerMediaItemWithComments(@TempDir Path out) {
    long mediaWithComments = 0;
    long comments;
    try (GraphApiEmulator demo = Demo.emulator().build().start()) {
      Instant now = demo.clock().now();
      Instant start = now.atOffset(ZoneOffset.UTC).minusYears(2).toInstant();
      for (IgUser user : demo.dataset().users()) {
        for (MediaItem m : demo.dataset().media(user.id())) {
          if (!m.timestamp().isBefore(start) && m.commentsCount() > 0) {
            mediaWithComments++;
          }
        }
      }
      for (String stream :
          List.of(
              "media_comments",
              "tagged_media",
              "collaborative_media",
              "competitors",
              "competitor_media")) {
        demo.resetStats();
        JobHarness.Run run =
            JobHarness.run(
                "--graphApiUrl=" + demo.baseUrl(),
                "--accessToken=" + Demo.TOKEN,
                "--now=" + now,
                "--streams=" + stream,
                "--output=" + out.resolve(stream),
                "--competitors=" + String.join(",", demo.dataset().competitorUsernames()));
        assertEquals(0, run.exitCode(), run.err());
        System.out.println(
            "demo calls of "
                + stream
                + ": "
                + demo.stats().callsByKind()
                + ", records: "
                + JobHarness.published(out.resolve(stream)).get(stream).size());
      }
      demo.resetStats();
      JobHarness.run(
          "--graphApiUrl=" + demo.baseUrl(),
          "--accessToken=" + Demo.TOKEN,
          "--now=" + now,
          "--streams=media_comments",
          "--output=" + out.resolve("again"));
      comments = demo.stats().calls();
    }
    // One call per media item with comments would cost that many, plus the media pages.
    assertTrue(
        comments < mediaWithComments,
        comments + " calls for " + mediaWithComments + " media with comments");
  }
}
