package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.Comment;
import io.instabeam.emulator.CompetitorProfile;
import io.instabeam.emulator.Dataset;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.emulator.MediaItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams Airbyte lacks, end to end through {@link Main} against the emulator over HTTP:
 * competitors and their media through Business Discovery, comments and replies (incremental, with
 * the state written after the sink), tagged and collaborative media, each checked against the data
 * the emulator served.
 */
class NewStreamsEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  /**
   * The first run sees the world as it was 20 days before: the comments posted since are the second
   * run's.
   */
  static final Instant EARLIER = NOW.minus(Duration.ofDays(20));

  static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
  static final String STREAMS =
      "media_comments,tagged_media,competitors,competitor_media,collaborative_media";

  @TempDir static Path dir;
  static GraphApiEmulator emulator;
  static Dataset data;
  static JobHarness.Run first;
  static JobHarness.Run second;
  static Map<String, List<ObjectNode>> firstRun;
  static Map<String, List<ObjectNode>> secondRun;
  static long discoveryCalls;

  @BeforeAll
  static void runTheJobTwice() {
    emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("token-new")
            .accounts(2)
            .mediaPerAccount(150)
            .competitors(3)
            .now(NOW)
            .build()
            .start();
    data = emulator.dataset();
    emulator.clock().set(EARLIER);
    first = run(EARLIER, "first");
    discoveryCalls = emulator.stats().calls("user/business_discovery");
    emulator.clock().set(NOW);
    second = run(NOW, "second");
    firstRun = JobHarness.published(dir.resolve("first"));
    secondRun = JobHarness.published(dir.resolve("second"));
  }

  static JobHarness.Run run(Instant now, String output) {
    return JobHarness.run(
        "--graphApiUrl=" + emulator.baseUrl(),
        "--accessToken=token-new",
        "--now=" + now,
        "--startDate=2025-03-01T00:00:00Z",
        "--streams=" + STREAMS,
        "--competitors=" + String.join(",", data.competitorUsernames()),
        "--state=" + dir.resolve("state.json"),
        "--output=" + dir.resolve(output));
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  static List<CompetitorProfile> professionals() {
    return data.competitorUsernames().stream()
        .map(u -> data.competitor(u).orElseThrow())
        .filter(CompetitorProfile::professional)
        .toList();
  }

  static String personal() {
    return data.competitorUsernames().stream()
        .filter(u -> !data.competitor(u).orElseThrow().professional())
        .findFirst()
        .orElseThrow();
  }

  static Instant instant(JsonNode timestamp) {
    return OffsetDateTime.parse(timestamp.asText()).toInstant();
  }

  @Test
  void bothRunsSucceedAndCountThePersonalProfileAsASkip() {
    assertEquals(0, first.exitCode(), first.err());
    assertEquals(0, second.exitCode(), second.err());
    assertTrue(first.out().contains("competitors-not-a-professional-account=1"), first.out());
  }

  @Test
  void competitorsHaveOneSnapshotPerProfessionalProfileAndRun() {
    List<ObjectNode> profiles = firstRun.get("competitors");
    assertEquals(professionals().size(), profiles.size());
    Map<String, ObjectNode> byName =
        profiles.stream().collect(Collectors.toMap(p -> p.get("username").asText(), p -> p));
    assertFalse(byName.containsKey(personal()));
    for (CompetitorProfile profile : professionals()) {
      ObjectNode record = byName.get(profile.username());
      assertEquals(profile.id(), record.get("id").asText());
      assertEquals(profile.followersCount(), record.get("followers_count").asLong());
      assertEquals("2026-02-18T12:00:00+00:00", record.get("snapshot_at").asText());
      assertFalse(record.has("media"));
    }
    assertEquals(
        "2026-03-10T12:00:00+00:00",
        secondRun.get("competitors").get(0).get("snapshot_at").asText());
  }

  @Test
  void competitorMediaAreThoseSinceTheStartDateWithViewCountsForReels() {
    Map<String, ObjectNode> byId =
        firstRun.get("competitor_media").stream()
            .collect(Collectors.toMap(m -> m.get("id").asText(), m -> m));
    Set<String> expected = new HashSet<>();
    long expectedCalls = 1; // the personal profile's refusal
    for (CompetitorProfile profile : professionals()) {
      List<MediaItem> visible =
          profile.media().stream().filter(m -> !m.timestamp().isAfter(EARLIER)).toList();
      int inRange = (int) visible.stream().filter(m -> !m.timestamp().isBefore(START)).count();
      visible.stream().limit(inRange).forEach(m -> expected.add(m.id()));
      // One call per page of 100, the profile's included, until a page reaches media before the
      // start date.
      expectedCalls +=
          inRange < visible.size() ? inRange / 100 + 1 : Math.max(1, (inRange + 99) / 100);
      for (MediaItem m : visible.subList(0, inRange)) {
        ObjectNode record = byId.get(m.id());
        assertEquals(profile.username(), record.get("username").asText());
        assertEquals(m.likeCount(), record.get("like_count").asLong());
        assertEquals(m.isReel(), record.has("view_count"), m.id());
      }
    }
    assertEquals(expected, byId.keySet());
    assertTrue(
        professionals().stream().anyMatch(p -> p.media().size() > 100),
        "one competitor needs media pages");
    assertEquals(expectedCalls, discoveryCalls);
  }

  /** Every comment and reply on the account's media since the start date, visible at {@code at}. */
  static Map<String, Comment> commentsAt(Instant at) {
    Map<String, Comment> all = new HashMap<>();
    for (IgUser user : data.users()) {
      for (MediaItem m : data.media(user.id())) {
        if (!m.timestamp().isBefore(START) && !m.timestamp().isAfter(at)) {
          for (Comment c : data.comments(m)) {
            if (!c.timestamp().isAfter(at)) {
              all.put(c.id(), c);
              data.replies(c).stream()
                  .filter(r -> !r.timestamp().isAfter(at))
                  .forEach(r -> all.put(r.id(), r));
            }
          }
        }
      }
    }
    return all;
  }

  @Test
  void aFirstRunWritesEveryCommentAndReplyOfTheMediaSinceTheStartDate() {
    Map<String, Comment> expected = commentsAt(EARLIER);
    List<ObjectNode> records = firstRun.get("media_comments");
    assertEquals(
        expected.keySet(),
        records.stream().map(r -> r.get("id").asText()).collect(Collectors.toSet()));
    assertEquals(expected.size(), records.size());
    boolean sawReply = false;
    for (ObjectNode record : records) {
      Comment c = expected.get(record.get("id").asText());
      assertEquals(c.mediaId(), record.get("media_id").asText());
      assertEquals(c.text(), record.get("text").asText());
      assertEquals(c.fromId(), record.get("from").get("id").asText());
      assertEquals(c.hidden(), record.get("hidden").asBoolean());
      assertEquals(c.timestamp(), instant(record.get("timestamp")));
      assertEquals(
          data.mediaItem(c.mediaId()).orElseThrow().ownerId(),
          record.get("business_account_id").asText());
      assertEquals(c.isReply(), record.has("parent_id"));
      if (c.isReply()) {
        sawReply = true;
        assertEquals(c.parentId(), record.get("parent_id").asText());
      }
    }
    assertTrue(sawReply);
  }

  @Test
  void aSecondRunWritesOnlyTheCommentsPostedSinceTheWatermark() throws Exception {
    Map<String, Comment> before = commentsAt(EARLIER);
    Map<String, Comment> now = commentsAt(NOW);
    Set<String> expected = new HashSet<>(now.keySet());
    // Strictly after each account's newest comment of the first run.
    Map<String, Instant> watermark = new HashMap<>();
    before
        .values()
        .forEach(
            c ->
                watermark.merge(
                    data.mediaItem(c.mediaId()).orElseThrow().ownerId(),
                    c.timestamp(),
                    (a, b) -> a.isAfter(b) ? a : b));
    expected.removeIf(
        id ->
            !now.get(id)
                .timestamp()
                .isAfter(
                    watermark.get(data.mediaItem(now.get(id).mediaId()).orElseThrow().ownerId())));
    List<String> written = new ArrayList<>();
    secondRun.get("media_comments").forEach(r -> written.add(r.get("id").asText()));
    assertFalse(expected.isEmpty(), "comments were posted between the runs");
    assertEquals(expected, new HashSet<>(written));
    assertEquals(expected.size(), written.size());
    String state = Files.readString(dir.resolve("state.json"));
    assertTrue(state.contains("\"media_comments\""), state);
    assertTrue(state.contains("\"timestamp\""), state);
  }

  @Test
  void taggedAndCollaborativeMediaAreOtherCreatorsMediaPerAccount() {
    for (String stream : List.of("tagged_media", "collaborative_media")) {
      Map<String, Long> perAccount =
          firstRun.get(stream).stream()
              .collect(
                  Collectors.groupingBy(
                      r -> r.get("business_account_id").asText(), Collectors.counting()));
      for (IgUser user : data.users()) {
        List<MediaItem> items =
            stream.equals("tagged_media") ? data.tagged(user.id()) : data.collaborations(user.id());
        long visible = items.stream().filter(m -> !m.timestamp().isAfter(EARLIER)).count();
        assertEquals(visible, perAccount.getOrDefault(user.id(), 0L), stream + " of " + user.id());
      }
      firstRun
          .get(stream)
          .forEach(
              r ->
                  assertNotEquals(
                      r.get("username").asText(),
                      data.user(r.get("business_account_id").asText()).orElseThrow().username()));
    }
  }

  @Test
  void aTokenWithoutTheCommentsPermissionReadsTheOtherStreams(@TempDir Path out) {
    try (GraphApiEmulator bare =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("token-bare")
            .accounts(2)
            .mediaPerAccount(40)
            .now(NOW)
            .permissions(
                Set.of(
                    "instagram_basic",
                    "instagram_manage_insights",
                    "pages_show_list",
                    "pages_read_engagement"))
            .build()
            .start()) {
      JobHarness.Run run =
          JobHarness.run(
              "--graphApiUrl=" + bare.baseUrl(),
              "--accessToken=token-bare",
              "--now=" + NOW,
              "--streams=media,media_comments,tagged_media,collaborative_media",
              "--output=" + out);
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("media_comments-no-permission=2"), run.out());
      assertTrue(run.out().contains("tagged_media-no-permission=2"), run.out());
      Map<String, List<ObjectNode>> published = JobHarness.published(out);
      assertEquals(80, published.get("media").size());
      assertTrue(published.getOrDefault("media_comments", List.of()).isEmpty());
      assertFalse(published.get("collaborative_media").isEmpty());
    }
  }

  @Test
  void competitorStreamsNeedUsernames() {
    JobHarness.Run none =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=token-new",
            "--streams=competitors",
            "--output=" + dir.resolve("none"));
    assertEquals(Main.BAD_CONFIG, none.exitCode());
    assertTrue(none.err().contains("--competitors=username1,username2"), none.err());
    JobHarness.Run bad =
        JobHarness.run(
            "--graphApiUrl=" + emulator.baseUrl(),
            "--accessToken=token-new",
            "--streams=competitor_media",
            "--competitors=good_name,not a name",
            "--output=" + dir.resolve("bad"));
    assertEquals(Main.BAD_CONFIG, bad.exitCode());
    assertTrue(bad.err().contains("'not a name' is not an Instagram username"), bad.err());
  }
}
