package io.instabeam.emulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a {@link Dataset} from a {@link DatasetSpec}. Each account draws from its own random
 * stream derived from (seed, account index), so changing e.g. the media count does not rename the
 * accounts.
 */
final class DatasetGenerator {
  /**
   * Media timestamps spread over this span before "now" (older posts are rarer, like real feeds).
   */
  private static final Duration MEDIA_SPAN = Duration.ofDays(1278);

  /**
   * Share of AD media among feed media (boosted posts appear on the media edge with product type
   * AD).
   */
  private static final double AD_SHARE = 0.03;

  /**
   * How far after "now" each account's upcoming posts reach (they appear as the emulator's clock
   * advances).
   */
  private static final Duration UPCOMING_SPAN = Duration.ofDays(400);

  /**
   * Posts of other creators each account is tagged in, and collaborates on (2026-04
   * collaborative_media).
   */
  private static final int TAGGED_PER_ACCOUNT = 12;

  private static final int COLLABORATIONS_PER_ACCOUNT = 4;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final List<String> ADJECTIVES =
      List.of(
          "urban",
          "golden",
          "wild",
          "little",
          "north",
          "blue",
          "happy",
          "salty",
          "quiet",
          "bright",
          "copper",
          "velvet",
          "sunny",
          "rustic",
          "lunar",
          "coastal",
          "misty",
          "bold",
          "gentle",
          "electric");
  private static final List<String> NOUNS =
      List.of(
          "bakery",
          "coffee",
          "studio",
          "garden",
          "threads",
          "roasters",
          "yoga",
          "bikes",
          "kitchen",
          "atelier",
          "books",
          "ceramics",
          "surf",
          "florist",
          "records",
          "travel",
          "fitness",
          "gallery",
          "brewing",
          "outfitters");
  private static final List<String> CATEGORIES =
      List.of(
          "Local business",
          "Coffee shop",
          "Clothing (Brand)",
          "Bakery",
          "Art",
          "Product/service",
          "Health/beauty");
  private static final List<String> CAPTIONS =
      List.of(
          "New week, new favourites",
          "Behind the scenes of today's shoot",
          "Thank you for 10 amazing years!",
          "Fresh from the oven",
          "Weekend plans sorted",
          "Our team's picks for the season",
          "Doors open at 9 tomorrow",
          "Swipe to see the whole collection",
          "Sneak peek of what's coming",
          "Made by hand, one at a time");
  private static final List<String> HASHTAGS =
      List.of(
          "#smallbusiness",
          "#handmade",
          "#local",
          "#weekend",
          "#new",
          "#behindthescenes",
          "#shoplocal",
          "#summer",
          "#instagood",
          "#community");

  private final DatasetSpec spec;
  private final Set<String> usedIds = new HashSet<>();

  private DatasetGenerator(DatasetSpec spec) {
    this.spec = spec;
  }

  static Dataset generate(DatasetSpec spec) {
    return new DatasetGenerator(spec).build();
  }

  private Dataset build() {
    Instant now = spec.generatedAt().truncatedTo(ChronoUnit.SECONDS);
    SplittableRandom order = new SplittableRandom(StableHash.of(spec.seed(), "pages"));
    List<FacebookPage> pages = new ArrayList<>();
    List<IgUser> users = new ArrayList<>();
    Map<String, List<MediaItem>> media = new LinkedHashMap<>();
    Map<String, List<MediaItem>> stories = new LinkedHashMap<>();
    Set<String> usernames = new HashSet<>();

    for (int i = 0; i < spec.accounts(); i++) {
      SplittableRandom rnd = new SplittableRandom(StableHash.of(spec.seed(), "account", i));
      String pageId = uniqueId(rnd, "1", 15);
      String igUserId = uniqueId(rnd, "178414", 17);
      String adjective = pick(rnd, ADJECTIVES);
      String noun = pick(rnd, NOUNS);
      String username = adjective + "." + noun;
      if (!usernames.add(username)) {
        username = username + (i + 1);
        usernames.add(username);
      }
      String displayName = capitalize(adjective) + " " + capitalize(noun);
      long followers = Math.round(Math.exp(rnd.nextDouble(Math.log(800), Math.log(250_000))));
      Instant conversion = now.minus(Duration.ofDays(rnd.nextInt(980, 1205)));
      IgUser user =
          new IgUser(
              igUserId,
              rnd.nextLong(10_000_000L, 9_000_000_000L),
              pageId,
              username,
              displayName,
              "Official account of " + displayName + ". " + pick(rnd, CAPTIONS) + ".",
              "https://www." + adjective + noun + ".example/",
              followers,
              rnd.nextLong(20, 2000),
              spec.mediaPerAccount(),
              profilePicture(rnd),
              conversion);
      users.add(user);
      pages.add(new FacebookPage(pageId, displayName, pick(rnd, CATEGORIES), igUserId));
      media.put(igUserId, feed(rnd, user, now));
      stories.put(igUserId, stories(rnd, user, now));
    }
    // Drawn last, from streams of their own, so that the published data is exactly what it was
    // before they existed.
    Map<String, List<MediaItem>> upcoming = new LinkedHashMap<>();
    for (int i = 0; i < users.size(); i++) {
      IgUser user = users.get(i);
      upcoming.put(
          user.id(),
          upcoming(new SplittableRandom(StableHash.of(spec.seed(), "upcoming", i)), user, now));
    }
    for (int i = 0; i < spec.pagesWithoutInstagram(); i++) {
      SplittableRandom rnd =
          new SplittableRandom(StableHash.of(spec.seed(), "page-without-instagram", i));
      String name =
          capitalize(pick(rnd, ADJECTIVES)) + " " + capitalize(pick(rnd, NOUNS)) + " Fans";
      // Interleave the pages without IG among the others, as /me/accounts does not sort them.
      pages.add(
          order.nextInt(pages.size() + 1),
          new FacebookPage(uniqueId(rnd, "1", 15), name, pick(rnd, CATEGORIES), null));
    }
    // Drawn after everything above, from streams of their own, so the accounts and their media stay
    // as they were.
    Map<String, List<MediaItem>> tagged = new LinkedHashMap<>();
    Map<String, List<MediaItem>> collaborations = new LinkedHashMap<>();
    for (IgUser user : users) {
      SplittableRandom rnd = new SplittableRandom(StableHash.of(spec.seed(), "tagged", user.id()));
      tagged.put(user.id(), othersMedia(rnd, TAGGED_PER_ACCOUNT, now, "tagged"));
      collaborations.put(user.id(), othersMedia(rnd, COLLABORATIONS_PER_ACCOUNT, now, "collab"));
    }
    List<CompetitorProfile> competitors = new ArrayList<>();
    for (int i = 0; i <= spec.competitors(); i++) {
      SplittableRandom rnd = new SplittableRandom(StableHash.of(spec.seed(), "competitor", i));
      // The last one is a personal profile: Business Discovery refuses it like an unknown username.
      competitors.add(competitor(rnd, i < spec.competitors(), usernames, now));
    }
    return new Dataset(
        spec.seed(),
        now,
        pages,
        users,
        media,
        stories,
        upcoming,
        tagged,
        collaborations,
        competitors,
        portfolio(users));
  }

  /**
   * The last {@code portfolioAccounts} accounts belong to a Business portfolio (the others' data is
   * unchanged).
   */
  private BusinessPortfolio portfolio(List<IgUser> users) {
    if (spec.portfolioAccounts() == 0) {
      return null;
    }
    SplittableRandom rnd = new SplittableRandom(StableHash.of(spec.seed(), "business"));
    List<String> owned =
        users.subList(users.size() - spec.portfolioAccounts(), users.size()).stream()
            .map(IgUser::id)
            .toList();
    return new BusinessPortfolio(
        uniqueId(rnd, "1", 15), capitalize(pick(rnd, ADJECTIVES)) + " Group", owned);
  }

  /** Media of other creators: posts the account is tagged in, or collaborates on. */
  private List<MediaItem> othersMedia(SplittableRandom rnd, int count, Instant now, String role) {
    List<MediaItem> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      IgUser creator = creator(rnd, role + "." + pick(rnd, NOUNS) + (i + 1));
      items.add(
          item(
              rnd,
              creator,
              now.minusSeconds(3600 + (long) (Math.pow(rnd.nextDouble(), 2) * 400 * 86400L)),
              rnd.nextDouble() < 0.3 ? "VIDEO" : "IMAGE",
              rnd.nextDouble() < 0.3 ? "REELS" : "FEED"));
    }
    items.sort(Comparator.comparing(MediaItem::timestamp).reversed());
    return items;
  }

  /** Another creator, not one of the token's accounts: only its media are served. */
  private IgUser creator(SplittableRandom rnd, String username) {
    return new IgUser(
        uniqueId(rnd, "178414", 17),
        rnd.nextLong(10_000_000L, 9_000_000_000L),
        null,
        username,
        username,
        "",
        "",
        Math.round(Math.exp(rnd.nextDouble(Math.log(500), Math.log(80_000)))),
        100,
        0,
        null,
        Instant.EPOCH);
  }

  private CompetitorProfile competitor(
      SplittableRandom rnd, boolean professional, Set<String> usernames, Instant now) {
    String adjective = pick(rnd, ADJECTIVES);
    String noun = pick(rnd, NOUNS);
    String username = adjective + "_" + noun + (professional ? "_co" : "_private");
    while (!usernames.add(username)) {
      username = username + "1";
    }
    String displayName =
        capitalize(adjective) + " " + capitalize(noun) + (professional ? " Co." : "");
    long followers = Math.round(Math.exp(rnd.nextDouble(Math.log(2_000), Math.log(400_000))));
    IgUser owner =
        new IgUser(
            uniqueId(rnd, "178414", 17),
            rnd.nextLong(10_000_000L, 9_000_000_000L),
            null,
            username,
            displayName,
            displayName + ": " + pick(rnd, CAPTIONS) + ".",
            "https://" + adjective + noun + ".example/",
            followers,
            rnd.nextLong(20, 3000),
            0,
            profilePicture(rnd),
            Instant.EPOCH);
    List<MediaItem> items = new ArrayList<>();
    if (professional) {
      int count = rnd.nextInt(40, 260);
      List<Instant> times = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        times.add(
            now.minusSeconds(
                1800 + (long) (Math.pow(rnd.nextDouble(), 1.5) * MEDIA_SPAN.getSeconds())));
      }
      times.sort(Comparator.reverseOrder());
      for (Instant ts : times) {
        double kind = rnd.nextDouble();
        items.add(
            kind < 0.25
                ? item(rnd, owner, ts, "VIDEO", "REELS")
                : kind < 0.45
                    ? item(rnd, owner, ts, "CAROUSEL_ALBUM", "FEED")
                    : item(rnd, owner, ts, "IMAGE", "FEED"));
      }
    }
    return new CompetitorProfile(
        owner.id(),
        owner.igId(),
        username,
        displayName,
        owner.biography(),
        owner.website(),
        followers,
        owner.followsCount(),
        owner.profilePictureUrl(),
        professional,
        List.copyOf(items));
  }

  private List<MediaItem> feed(SplittableRandom rnd, IgUser user, Instant now) {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < spec.mediaPerAccount(); i++) {
      double age = Math.pow(rnd.nextDouble(), 1.5) * MEDIA_SPAN.getSeconds();
      times.add(now.minusSeconds(1800 + (long) age));
    }
    times.sort(Comparator.reverseOrder());
    List<MediaItem> items = new ArrayList<>();
    for (Instant ts : times) {
      double kind = rnd.nextDouble();
      double adShare = Math.min(AD_SHARE, 1 - spec.reelsShare() - spec.carouselShare());
      if (kind < spec.reelsShare()) {
        items.add(item(rnd, user, ts, "VIDEO", "REELS"));
      } else if (kind < spec.reelsShare() + spec.carouselShare()) {
        items.add(item(rnd, user, ts, "CAROUSEL_ALBUM", "FEED"));
      } else if (kind < spec.reelsShare() + spec.carouselShare() + adShare) {
        items.add(item(rnd, user, ts, rnd.nextDouble() < 0.6 ? "IMAGE" : "VIDEO", "AD"));
      } else {
        items.add(item(rnd, user, ts, rnd.nextDouble() < 0.75 ? "IMAGE" : "VIDEO", "FEED"));
      }
    }
    return items;
  }

  /**
   * Posts after {@code now}, one every few days (an account's own rhythm, 1 to 4 days apart on
   * average), newest first; none when the account has no media at all.
   */
  private List<MediaItem> upcoming(SplittableRandom rnd, IgUser user, Instant now) {
    List<MediaItem> items = new ArrayList<>();
    if (spec.mediaPerAccount() == 0) {
      return items;
    }
    double meanGapSeconds = rnd.nextDouble(1, 4) * 86_400;
    Instant ts = now;
    while (true) {
      ts = ts.plusSeconds(600 + (long) (-Math.log(1 - rnd.nextDouble()) * meanGapSeconds));
      if (ts.isAfter(now.plus(UPCOMING_SPAN))) {
        break;
      }
      boolean reel = rnd.nextDouble() < spec.reelsShare();
      items.add(
          0,
          item(
              rnd,
              user,
              ts,
              reel || rnd.nextDouble() < 0.25 ? "VIDEO" : "IMAGE",
              reel ? "REELS" : "FEED"));
    }
    return items;
  }

  private List<MediaItem> stories(SplittableRandom rnd, IgUser user, Instant now) {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < spec.storiesPerAccount(); i++) {
      times.add(now.minusSeconds(rnd.nextLong(300, 23 * 3600)));
    }
    times.sort(Comparator.reverseOrder());
    List<MediaItem> items = new ArrayList<>();
    for (Instant ts : times) {
      items.add(item(rnd, user, ts, rnd.nextDouble() < 0.6 ? "IMAGE" : "VIDEO", "STORY"));
    }
    return items;
  }

  private MediaItem item(
      SplittableRandom rnd, IgUser user, Instant ts, String mediaType, String productType) {
    String id = uniqueId(rnd, "18", 17);
    String igId = uniqueId(rnd, "3", 19);
    String shortcode = token(rnd, 11);
    boolean story = "STORY".equals(productType);
    String permalink =
        story
            ? "https://instagram.com/stories/" + user.username() + "/" + igId
            : "https://www.instagram.com/"
                + ("REELS".equals(productType) ? "reel/" : "p/")
                + shortcode
                + "/";
    List<CarouselChild> children = new ArrayList<>();
    String mediaUrl;
    String thumbnail = null;
    if ("CAROUSEL_ALBUM".equals(mediaType)) {
      int count = rnd.nextInt(spec.childrenMin(), spec.childrenMax() + 1);
      for (int i = 0; i < count; i++) {
        String childType = rnd.nextDouble() < 0.8 ? "IMAGE" : "VIDEO";
        String childUrl = "VIDEO".equals(childType) ? videoUrl(rnd) : imageUrl(rnd);
        children.add(
            new CarouselChild(
                uniqueId(rnd, "18", 17),
                uniqueId(rnd, "3", 19),
                id,
                user.id(),
                user.username(),
                childType,
                childUrl,
                "VIDEO".equals(childType) ? imageUrl(rnd) : null,
                permalink + "?img_index=" + (i + 1),
                token(rnd, 11),
                ts));
      }
      // The album itself shows its first slide.
      mediaUrl = children.get(0).mediaUrl();
    } else if ("VIDEO".equals(mediaType)) {
      mediaUrl = videoUrl(rnd);
      thumbnail = imageUrl(rnd);
    } else {
      mediaUrl = imageUrl(rnd);
    }
    String caption =
        rnd.nextDouble() < 0.06
            ? null
            : pick(rnd, CAPTIONS) + " " + pick(rnd, HASHTAGS) + " " + pick(rnd, HASHTAGS);
    long likes =
        story
            ? 0
            : Math.round(
                Math.exp(rnd.nextDouble(0, Math.log(Math.max(3, user.followersCount() / 8.0)))));
    long comments = story ? 0 : Math.round(likes * rnd.nextDouble(0, 0.08));
    return new MediaItem(
        id,
        igId,
        user.id(),
        user.username(),
        caption,
        mediaType,
        productType,
        mediaUrl,
        thumbnail,
        permalink,
        shortcode,
        ts,
        likes,
        comments,
        story || rnd.nextDouble() < 0.95,
        List.copyOf(children));
  }

  private String imageUrl(SplittableRandom rnd) {
    return "https://scontent.cdninstagram.com/v/t51.29350-15/"
        + digits(rnd, 9)
        + "_"
        + digits(rnd, 17)
        + "_"
        + digits(rnd, 19)
        + "_n.jpg?stp=dst-jpg_e35&_nc_cat=10"
        + rnd.nextInt(10)
        + "&ccb=1-7&_nc_sid=18de74"
        + "&_nc_ohc="
        + token(rnd, 11)
        + "&_nc_ht=scontent.cdninstagram.com&edm=AM6HXa8EAAAA"
        + rid(rnd)
        + "&oh=00_"
        + token(rnd, 43)
        + "&oe="
        + hex(rnd, 8);
  }

  private String videoUrl(SplittableRandom rnd) {
    return "https://scontent.cdninstagram.com/o1/v/t16/f2/m86/"
        + token(rnd, 32)
        + ".mp4?efg="
        + token(rnd, 40)
        + "&_nc_ht=scontent.cdninstagram.com&_nc_cat=10"
        + rnd.nextInt(10)
        + "&vs="
        + hex(rnd, 16)
        + rid(rnd)
        + "&_nc_vs="
        + token(rnd, 24)
        + "&oh=00_"
        + token(rnd, 43)
        + "&oe="
        + hex(rnd, 8);
  }

  /** Some CDN urls carry a request id ({@code _nc_rid}) that clients strip before storing. */
  private String rid(SplittableRandom rnd) {
    return rnd.nextDouble() < 0.3 ? "&_nc_rid=" + hex(rnd, 10) : "";
  }

  private String profilePicture(SplittableRandom rnd) {
    return "https://scontent-iad3-1.xx.fbcdn.net/v/t51.2885-15/"
        + digits(rnd, 9)
        + "_"
        + digits(rnd, 17)
        + "_"
        + digits(rnd, 19)
        + "_n.jpg?_nc_cat=10"
        + rnd.nextInt(10)
        + "&ccb=1-7&_nc_sid=7d201b&_nc_ohc="
        + token(rnd, 11)
        + "&_nc_ht=scontent-iad3-1.xx&edm=AL-3X8kEAAAA&oh=00_"
        + token(rnd, 43)
        + "&oe="
        + hex(rnd, 8);
  }

  private String uniqueId(SplittableRandom rnd, String prefix, int length) {
    while (true) {
      String id = prefix + digits(rnd, length - prefix.length());
      if (usedIds.add(id)) {
        return id;
      }
    }
  }

  private static String digits(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + rnd.nextInt(10)));
    }
    return sb.toString();
  }

  private static String hex(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append("0123456789ABCDEF".charAt(rnd.nextInt(16)));
    }
    return sb.toString();
  }

  private static String token(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static String pick(SplittableRandom rnd, List<String> values) {
    return values.get(rnd.nextInt(values.size()));
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
