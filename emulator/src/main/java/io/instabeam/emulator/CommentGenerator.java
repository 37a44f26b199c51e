package io.instabeam.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the comments and replies of one media item from (seed, media id) alone, so any order of
 * reads agrees.
 */
final class CommentGenerator {
  private static final List<String> TEXTS =
      List.of(
          "Love this!",
          "Where can I get one?",
          "So beautiful 😍",
          "Can't wait to visit",
          "Is this still available?",
          "Great shot",
          "This made my day",
          "Amazing work as always",
          "Do you ship abroad?",
          "🔥🔥🔥",
          "What time do you open on Sunday?",
          "Need this in my life",
          "Congrats on the launch!",
          "Wow",
          "Thank you!");
  private static final List<String> REPLIES =
      List.of(
          "Thank you so much!",
          "Yes, send us a DM",
          "We open at 10 on Sundays",
          "Glad you like it!",
          "Soon, stay tuned",
          "Link in bio",
          "🙏");
  private static final List<String> NAMES =
      List.of(
          "anna", "ben", "carla", "dev", "elif", "femi", "gus", "hana", "ivo", "jules", "kai",
          "lena", "mo", "nia");

  private CommentGenerator() {}

  static List<Comment> thread(long seed, MediaItem media, Instant generatedAt) {
    int total = (int) Math.min(media.commentsCount(), Integer.MAX_VALUE);
    if (total == 0 || media.isStory()) {
      return List.of();
    }
    SplittableRandom rnd = new SplittableRandom(StableHash.of(seed, media.id(), "comments"));
    int replies = total < 2 ? 0 : (int) Math.round(total * rnd.nextDouble(0.1, 0.3));
    long span = Math.max(60, generatedAt.getEpochSecond() - media.timestamp().getEpochSecond());
    List<Comment> thread = new ArrayList<>();
    for (int i = 0; i < total - replies; i++) {
      // Most comments come soon after the post, a few much later.
      Instant at =
          media.timestamp().plusSeconds(30 + (long) (Math.pow(rnd.nextDouble(), 4) * (span - 30)));
      thread.add(comment(seed, rnd, media, null, i, at, TEXTS));
    }
    thread.sort(Comparator.comparing(Comment::timestamp));
    List<Comment> topLevel = List.copyOf(thread);
    for (int i = 0; i < replies; i++) {
      // Replies gather on the first comments, so a busy thread holds more replies than one nested
      // page.
      Comment parent =
          topLevel.get(
              (int)
                  Math.min(
                      topLevel.size() - 1,
                      Math.floor(Math.pow(rnd.nextDouble(), 3) * topLevel.size())));
      long left = Math.max(1, generatedAt.getEpochSecond() - parent.timestamp().getEpochSecond());
      Instant at =
          parent.timestamp().plusSeconds(1 + (long) (Math.pow(rnd.nextDouble(), 3) * (left - 1)));
      thread.add(comment(seed, rnd, media, parent.id(), total - replies + i, at, REPLIES));
    }
    thread.sort(Comparator.comparing(Comment::timestamp).thenComparing(Comment::id));
    return List.copyOf(thread);
  }

  private static Comment comment(
      long seed,
      SplittableRandom rnd,
      MediaItem media,
      String parentId,
      int index,
      Instant at,
      List<String> texts) {
    long h = StableHash.of(seed, media.id(), "comment", index);
    String id = "17" + String.format("%015d", Math.floorMod(h, 1_000_000_000_000_000L));
    // A reply is most often the account answering; the others are its audience.
    boolean byOwner = parentId != null && rnd.nextDouble() < 0.6;
    String username =
        byOwner
            ? media.username()
            : NAMES.get(rnd.nextInt(NAMES.size())) + "." + rnd.nextInt(10, 999);
    long commenter = Math.floorMod(StableHash.of(seed, "commenter", username), 100_000_000_000L);
    String fromId = byOwner ? media.ownerId() : "178414" + String.format("%011d", commenter);
    long likes = Math.round(Math.pow(rnd.nextDouble(), 3) * 40);
    return new Comment(
        id,
        media.id(),
        parentId,
        texts.get(rnd.nextInt(texts.size())),
        at,
        username,
        fromId,
        likes,
        rnd.nextDouble() < 0.03);
  }
}
