package io.instabeam.emulator;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generated Graph API data. Objects are plain records; insight values are computed on demand as
 * pure functions of (seed, object, metric, day), so a value read twice is always the same whatever
 * the order of requests, and tests can compute the expected value of any insight directly.
 */
public final class Dataset {
  /** Meta keeps media insights for two years; older media answer {@code {"data":[]}}. */
  static final Duration MEDIA_INSIGHTS_RETENTION = Duration.ofDays(730);

  private final long seed;
  private final Instant generatedAt;
  private final List<FacebookPage> pages;
  private final List<IgUser> users;
  private final Map<String, IgUser> usersById = new LinkedHashMap<>();
  private final Map<String, FacebookPage> pagesById = new LinkedHashMap<>();
  private final Map<String, List<MediaItem>> mediaByAccount;
  private final Map<String, List<MediaItem>> storiesByAccount;
  private final Map<String, List<MediaItem>> upcomingByAccount;
  private final Map<String, MediaItem> mediaById = new LinkedHashMap<>();
  private final Map<String, CarouselChild> childrenById = new LinkedHashMap<>();
  private final BusinessPortfolio portfolio;
  private final Map<String, List<MediaItem>> taggedByAccount;
  private final Map<String, List<MediaItem>> collaborationsByAccount;
  private final Map<String, CompetitorProfile> competitorsByUsername = new LinkedHashMap<>();

  /**
   * Comments are drawn when their media is first asked about (a pure function of seed and media),
   * then kept.
   */
  private final Map<String, List<Comment>> commentsByMedia = new ConcurrentHashMap<>();

  private final Map<String, Comment> commentsById = new ConcurrentHashMap<>();

  Dataset(
      long seed,
      Instant generatedAt,
      List<FacebookPage> pages,
      List<IgUser> users,
      Map<String, List<MediaItem>> mediaByAccount,
      Map<String, List<MediaItem>> storiesByAccount,
      Map<String, List<MediaItem>> upcomingByAccount,
      Map<String, List<MediaItem>> taggedByAccount,
      Map<String, List<MediaItem>> collaborationsByAccount,
      List<CompetitorProfile> competitors,
      BusinessPortfolio portfolio) {
    this.seed = seed;
    this.portfolio = portfolio;
    this.generatedAt = generatedAt;
    this.pages = List.copyOf(pages);
    this.users = List.copyOf(users);
    this.mediaByAccount = Collections.unmodifiableMap(new LinkedHashMap<>(mediaByAccount));
    this.storiesByAccount = Collections.unmodifiableMap(new LinkedHashMap<>(storiesByAccount));
    this.upcomingByAccount = Collections.unmodifiableMap(new LinkedHashMap<>(upcomingByAccount));
    pages.forEach(p -> pagesById.put(p.id(), p));
    users.forEach(u -> usersById.put(u.id(), u));
    for (List<MediaItem> items : mediaByAccount.values()) {
      for (MediaItem m : items) {
        mediaById.put(m.id(), m);
        m.children().forEach(c -> childrenById.put(c.id(), c));
      }
    }
    storiesByAccount.values().forEach(items -> items.forEach(s -> mediaById.put(s.id(), s)));
    upcomingByAccount.values().forEach(items -> items.forEach(m -> mediaById.put(m.id(), m)));
    this.taggedByAccount = Collections.unmodifiableMap(new LinkedHashMap<>(taggedByAccount));
    this.collaborationsByAccount =
        Collections.unmodifiableMap(new LinkedHashMap<>(collaborationsByAccount));
    competitors.forEach(c -> competitorsByUsername.put(c.username(), c));
  }

  /**
   * Media of other creators in which the account is tagged ({@code /{ig-user-id}/tags}), newest
   * first.
   */
  public List<MediaItem> tagged(String accountId) {
    return taggedByAccount.getOrDefault(accountId, List.of());
  }

  /**
   * Media of other creators the account collaborates on ({@code
   * /{ig-user-id}/collaborative_media}), newest first.
   */
  public List<MediaItem> collaborations(String accountId) {
    return collaborationsByAccount.getOrDefault(accountId, List.of());
  }

  /** Every profile Business Discovery knows, professional and personal, by username. */
  public List<String> competitorUsernames() {
    return List.copyOf(competitorsByUsername.keySet());
  }

  /** The profile called {@code username} (case-insensitive, as Instagram usernames are). */
  public Optional<CompetitorProfile> competitor(String username) {
    return competitorsByUsername.values().stream()
        .filter(c -> c.username().equalsIgnoreCase(username))
        .findFirst();
  }

  /**
   * The top-level comments of a feed media item, oldest first; their replies are {@link #replies}.
   */
  public List<Comment> comments(MediaItem media) {
    return thread(media).stream().filter(c -> !c.isReply()).toList();
  }

  /** The replies to a comment, oldest first. */
  public List<Comment> replies(Comment comment) {
    return mediaItem(comment.mediaId()).map(this::thread).orElse(List.of()).stream()
        .filter(c -> comment.id().equals(c.parentId()))
        .toList();
  }

  /** A comment or reply already drawn (the reader only ever names comments it was shown). */
  public Optional<Comment> comment(String id) {
    return Optional.ofNullable(commentsById.get(id));
  }

  /**
   * All comments and replies of a media item: {@code comments_count} of them (Meta counts replies
   * too), about a fifth replies, most of those on the first comments, so that busy threads have
   * more replies than a page holds.
   */
  private List<Comment> thread(MediaItem media) {
    return commentsByMedia.computeIfAbsent(
        media.id(),
        id -> {
          List<Comment> thread = CommentGenerator.thread(seed, media, generatedAt);
          thread.forEach(c -> commentsById.put(c.id(), c));
          return thread;
        });
  }

  public long seed() {
    return seed;
  }

  /**
   * The "now" the data was generated against (stories are within 24 h before it, media up to ~3.5
   * years).
   */
  public Instant generatedAt() {
    return generatedAt;
  }

  /**
   * All pages in {@code /me/accounts} order, including pages without an Instagram business account.
   */
  public List<FacebookPage> pages() {
    return pages;
  }

  /** IG business accounts in {@code /me/accounts} order. */
  public List<IgUser> users() {
    return users;
  }

  public Optional<IgUser> user(String id) {
    return Optional.ofNullable(usersById.get(id));
  }

  /** The Business portfolio that owns some of the accounts, if any. */
  public Optional<BusinessPortfolio> portfolio() {
    return Optional.ofNullable(portfolio);
  }

  /**
   * True when a Business portfolio owns the account: {@code me/accounts} hides it without
   * business_management.
   */
  public boolean ownedByPortfolio(String instagramAccountId) {
    return portfolio != null && portfolio.owns(instagramAccountId);
  }

  public Optional<FacebookPage> page(String id) {
    return Optional.ofNullable(pagesById.get(id));
  }

  /** Feed media of one account (FEED, REELS, AD), newest first, as on the media edge. */
  public List<MediaItem> media(String accountId) {
    return mediaByAccount.getOrDefault(accountId, List.of());
  }

  /**
   * Feed media of one account as the edge lists them at {@code now}: the posts published after
   * {@link #generatedAt} up to {@code now} (the account keeps posting as the clock advances), then
   * {@link #media}; newest first.
   */
  public List<MediaItem> media(String accountId, Instant now) {
    List<MediaItem> listed = new ArrayList<>();
    for (MediaItem m : upcomingByAccount.getOrDefault(accountId, List.of())) {
      if (!m.timestamp().isAfter(now)) {
        listed.add(m);
      }
    }
    listed.addAll(media(accountId));
    return listed;
  }

  /**
   * A feed item as it stands at {@code now}: likes and comments keep coming after a post is
   * published, fast in its first days and slowly for months ({@link #engagementGrowth}), and every
   * insight derived from them moves along. At or before {@link #generatedAt} an item is as
   * generated, so a run on the unmoved clock reads what it always did.
   */
  public MediaItem asOf(MediaItem m, Instant now) {
    if (m.isStory() || !now.isAfter(generatedAt) || m.timestamp().isAfter(now)) {
      return m;
    }
    // A published post's counts are its values at generatedAt; an upcoming post's, the values it
    // grows towards.
    double reached =
        m.timestamp().isAfter(generatedAt)
            ? 1
            : engagementGrowth(Duration.between(m.timestamp(), generatedAt));
    double factor = engagementGrowth(Duration.between(m.timestamp(), now)) / reached;
    return new MediaItem(
        m.id(),
        m.igId(),
        m.ownerId(),
        m.username(),
        m.caption(),
        m.mediaType(),
        m.mediaProductType(),
        m.mediaUrl(),
        m.thumbnailUrl(),
        m.permalink(),
        m.shortcode(),
        m.timestamp(),
        Math.round(m.likeCount() * factor),
        Math.round(m.commentsCount() * factor),
        m.commentEnabled(),
        m.children());
  }

  /**
   * The share of its engagement a post has reached at {@code age}: most of it within its first days
   * (time constant 3 days), a tail over months (120 days). Young posts' counts move daily, old
   * posts' rarely.
   */
  static double engagementGrowth(Duration age) {
    double days = Math.max(0, age.getSeconds()) / 86_400.0 + 0.05;
    return 0.85 * (1 - StrictMath.exp(-days / 3)) + 0.15 * (1 - StrictMath.exp(-days / 120));
  }

  /**
   * Stories of one account, newest first (the edge only shows those within 24 h of the current
   * clock).
   */
  public List<MediaItem> stories(String accountId) {
    return storiesByAccount.getOrDefault(accountId, List.of());
  }

  /** A media item or story by id. */
  public Optional<MediaItem> mediaItem(String id) {
    return Optional.ofNullable(mediaById.get(id));
  }

  public Optional<CarouselChild> child(String id) {
    return Optional.ofNullable(childrenById.get(id));
  }

  /** Every feed media item of every account. */
  public List<MediaItem> allMedia() {
    List<MediaItem> all = new ArrayList<>();
    mediaByAccount.values().forEach(all::addAll);
    return all;
  }

  /**
   * True when insights of this media answer error 100/2108006 (posted before the business
   * conversion).
   */
  public boolean postedBeforeConversion(MediaItem item) {
    IgUser owner = usersById.get(item.ownerId());
    return owner != null
        && !item.isStory()
        && item.timestamp().isBefore(owner.businessConversionAt());
  }

  /** True when a story has fewer than 5 viewers, so Meta refuses its insights with error 10. */
  public boolean storyBelowViewerThreshold(MediaItem story) {
    return story.isStory() && mediaInsight(story, "reach") < 5;
  }

  /**
   * The lifetime value of one media insight metric (validity per product type is checked by the API
   * layer).
   */
  public long mediaInsight(MediaItem m, String metric) {
    long h = StableHash.of(seed, m.id(), metric);
    long reach = reach(m);
    long likes = m.likeCount();
    switch (metric) {
      case "reach":
        return reach;
      case "likes":
        return likes;
      case "comments":
        return m.commentsCount();
      case "views":
        return Math.round(reach * StableHash.between(h, 1.2, 2.6));
      case "saved":
        return Math.round(Math.max(likes, reach / 20.0) * StableHash.between(h, 0.01, 0.12));
      case "shares":
        return Math.round(reach * StableHash.between(h, 0.0, 0.03));
      case "reposts":
        return Math.round(reach * StableHash.between(h, 0.0, 0.01));
      case "follows":
        return Math.round(reach * StableHash.between(h, 0.0, 0.02));
      case "profile_visits":
        return Math.round(reach * StableHash.between(h, 0.005, 0.06));
      case "profile_activity":
        return Math.round(mediaInsight(m, "profile_visits") * StableHash.between(h, 0.1, 0.5));
      case "replies":
        return Math.round(reach * StableHash.between(h, 0.0, 0.03));
      case "navigation":
        return Math.round(mediaInsight(m, "views") * StableHash.between(h, 0.6, 1.0));
      case "total_interactions":
        return m.isStory()
            ? mediaInsight(m, "replies") + mediaInsight(m, "shares") + mediaInsight(m, "follows")
            : likes + m.commentsCount() + mediaInsight(m, "saved") + mediaInsight(m, "shares");
      case "ig_reels_avg_watch_time":
        return Math.round(StableHash.between(h, 1500, 30000));
      case "ig_reels_video_view_total_time":
        return mediaInsight(m, "ig_reels_avg_watch_time") * mediaInsight(m, "views");
      case "reels_skip_rate":
        return Math.round(StableHash.between(h, 5, 70));
      case "crossposted_views":
        return Math.round(reach * StableHash.between(h, 0.0, 0.2));
      case "facebook_views":
        return Math.round(mediaInsight(m, "views") * StableHash.between(h, 0.0, 0.15));
      case "link_clicks":
        return Math.round(reach * StableHash.between(h, 0.0, 0.04));
      case "total_views":
        return Math.round(mediaInsight(m, "views") * StableHash.between(h, 1.0, 1.3));
      case "total_likes":
        return likes + Math.round(likes * StableHash.between(h, 0.0, 0.2));
      case "total_comments":
        return m.commentsCount() + Math.round(m.commentsCount() * StableHash.between(h, 0.0, 0.2));
      default:
        throw new IllegalArgumentException("no such media metric: " + metric);
    }
  }

  /**
   * The {@code media_audio_type} field: MUSIC or ORIGINAL_SOUND for videos, none (null) for images
   * and albums.
   */
  public String mediaAudioType(MediaItem m) {
    if (!"VIDEO".equals(m.mediaType())) {
      return null;
    }
    return StableHash.unit(StableHash.of(seed, m.id(), "media_audio_type")) < 0.6
        ? "MUSIC"
        : "ORIGINAL_SOUND";
  }

  /** The {@code is_ai_generated} field: about one item in 25 carries Meta's "AI info" label. */
  public boolean isAiGenerated(MediaItem m) {
    return StableHash.unit(StableHash.of(seed, m.id(), "is_ai_generated")) < 0.04;
  }

  private long reach(MediaItem m) {
    long h = StableHash.of(seed, m.id(), "reach-base");
    if (m.isStory()) {
      // About one story in five stays below Meta's 5-viewer threshold.
      return StableHash.unit(h) < 0.2
          ? (long) StableHash.between(StableHash.mix(h), 0, 5)
          : Math.round(StableHash.between(StableHash.mix(h), 20, 2500));
    }
    return Math.round(m.likeCount() * StableHash.between(h, 4, 16)) + 20;
  }

  /**
   * Daily account metric for the day whose data point has {@code end_time = endDay T07:00:00+0000}:
   * {@code reach} for period day/week/days_28, {@code follower_count} for period day.
   */
  public long accountInsight(String accountId, String metric, String period, LocalDate endDay) {
    IgUser user = requireUser(accountId);
    if ("follower_count".equals(metric) && "day".equals(period)) {
      long h = StableHash.of(seed, accountId, metric, endDay);
      return Math.round(user.followersCount() * StableHash.between(h, 0.0005, 0.004));
    }
    if ("reach".equals(metric)) {
      switch (period) {
        case "day":
          return dailyReach(user, endDay);
        case "week":
          return Math.round(sumDailyReach(user, endDay, 7) * 0.72);
        case "days_28":
          return Math.round(sumDailyReach(user, endDay, 28) * 0.55);
        default:
          break;
      }
    }
    throw new IllegalArgumentException("no such account metric: " + metric + "/" + period);
  }

  private long sumDailyReach(IgUser user, LocalDate endDay, int days) {
    long sum = 0;
    for (int i = 0; i < days; i++) {
      sum += dailyReach(user, endDay.minusDays(i));
    }
    return sum;
  }

  private long dailyReach(IgUser user, LocalDate endDay) {
    long h = StableHash.of(seed, user.id(), "reach", "day", endDay);
    DayOfWeek dow = endDay.getDayOfWeek();
    double weekday = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? 1.25 : 1.0;
    return Math.round(user.followersCount() * StableHash.between(h, 0.04, 0.22) * weekday);
  }

  /**
   * Daily value of an account metric that Meta answers only as totals ({@code views}, {@code
   * accounts_engaged}, {@code total_interactions}, {@code likes}, …), for the day whose data point
   * ends on {@code endDay}.
   */
  public long accountDailyTotal(String accountId, String metric, LocalDate endDay) {
    IgUser user = requireUser(accountId);
    long reach = dailyReach(user, endDay);
    long h = StableHash.of(seed, accountId, metric, "total", endDay);
    switch (metric) {
      case "views":
        return Math.round(reach * StableHash.between(h, 1.5, 3.0));
      case "accounts_engaged":
        return Math.round(reach * StableHash.between(h, 0.02, 0.08));
      case "likes":
        return Math.round(reach * StableHash.between(h, 0.01, 0.05));
      case "comments":
        return Math.round(reach * StableHash.between(h, 0.0, 0.005));
      case "shares":
        return Math.round(reach * StableHash.between(h, 0.0, 0.004));
      case "saves":
        return Math.round(reach * StableHash.between(h, 0.0, 0.006));
      case "replies":
        return Math.round(reach * StableHash.between(h, 0.0, 0.002));
      case "reposts":
        return Math.round(reach * StableHash.between(h, 0.0, 0.001));
      case "total_interactions":
        long sum = 0;
        for (String part : List.of("likes", "comments", "shares", "saves", "replies", "reposts")) {
          sum += accountDailyTotal(accountId, part, endDay);
        }
        return sum;
      case "follows_and_unfollows":
        return Math.round(user.followersCount() * StableHash.between(h, 0.0005, 0.003));
      case "profile_links_taps":
        return Math.round(reach * StableHash.between(h, 0.0, 0.003));
      default:
        throw new IllegalArgumentException("no such account metric: " + metric);
    }
  }

  /**
   * One day's total of {@code metric} split by {@code breakdown} (the values of {@link
   * MetricCatalog#BREAKDOWN_VALUES}), in that order; the parts add up to {@link
   * #accountDailyTotal}.
   */
  public Map<String, Long> accountDailySplit(
      String accountId, String metric, String breakdown, LocalDate endDay) {
    long total =
        "reach".equals(metric)
            ? dailyReach(requireUser(accountId), endDay)
            : accountDailyTotal(accountId, metric, endDay);
    List<String> keys = MetricCatalog.BREAKDOWN_VALUES.get(breakdown);
    double[] weights = new double[keys.size()];
    double sum = 0;
    for (int i = 0; i < keys.size(); i++) {
      weights[i] =
          StableHash.between(
                  StableHash.of(seed, accountId, metric, breakdown, keys.get(i), endDay), 0.1, 1)
              / (i + 1);
      sum += weights[i];
    }
    Map<String, Long> split = new LinkedHashMap<>();
    long left = total;
    for (int i = 0; i < keys.size(); i++) {
      long part =
          i == keys.size() - 1 ? left : Math.min(left, Math.round(total * weights[i] / sum));
      split.put(keys.get(i), part);
      left -= part;
    }
    return split;
  }

  /** {@code online_followers} for one day: keys "0".."23" (hours, Pacific time on the real API). */
  public Map<String, Long> onlineFollowers(String accountId, LocalDate endDay) {
    IgUser user = requireUser(accountId);
    Map<String, Long> byHour = new LinkedHashMap<>();
    for (int hour = 0; hour < 24; hour++) {
      long h = StableHash.of(seed, accountId, "online_followers", endDay, hour);
      double diurnal = 0.35 + 0.65 * (0.5 + 0.5 * StrictMath.cos((hour - 19) * StrictMath.PI / 12));
      byHour.put(
          Integer.toString(hour),
          Math.round(user.followersCount() * 0.25 * diurnal * StableHash.between(h, 0.85, 1.15)));
    }
    return byHour;
  }

  /**
   * {@code follower_demographics} results for a breakdown: {@code city}, {@code country}, {@code
   * age}, {@code gender} or a combination of age and gender such as {@code age,gender} (dimension
   * order as given).
   */
  public List<DemographicResult> followerDemographics(String accountId, String breakdown) {
    IgUser user = requireUser(accountId);
    List<String> dims = List.of(breakdown.split(","));
    if (dims.equals(List.of("city"))) {
      return weighted(user, "city", Demographics.CITIES, 45);
    }
    if (dims.equals(List.of("country"))) {
      return weighted(user, "country", Demographics.COUNTRIES, Demographics.COUNTRIES.size());
    }
    // age/gender share one underlying (age, gender) table so that every aggregation is consistent.
    Map<List<String>, Long> grouped = new LinkedHashMap<>();
    for (String age : Demographics.AGE_BUCKETS) {
      for (String gender : Demographics.GENDERS) {
        long h = StableHash.of(seed, accountId, "age,gender", age, gender);
        double weight =
            Demographics.ageWeight(age)
                * Demographics.genderWeight(gender)
                * StableHash.between(h, 0.7, 1.3);
        long value = Math.round(user.followersCount() * weight);
        List<String> key = new ArrayList<>();
        for (String dim : dims) {
          key.add("age".equals(dim) ? age : gender);
        }
        grouped.merge(List.copyOf(key), value, Long::sum);
      }
    }
    List<DemographicResult> results = new ArrayList<>();
    grouped.forEach((key, value) -> results.add(new DemographicResult(key, value)));
    return results;
  }

  /**
   * {@code engaged_audience_demographics} for a breakdown and timeframe ({@code this_week}, {@code
   * this_month}): a share of the followers' demographics (an engaged audience is a part of it),
   * always at least 1 per value.
   */
  public List<DemographicResult> engagedAudienceDemographics(
      String accountId, String breakdown, String timeframe) {
    double[] share =
        "this_week".equals(timeframe) ? new double[] {0.02, 0.12} : new double[] {0.05, 0.3};
    List<DemographicResult> results = new ArrayList<>();
    for (DemographicResult r : followerDemographics(accountId, breakdown)) {
      long h =
          StableHash.of(
              seed, accountId, "engaged", timeframe, String.join(",", r.dimensionValues()));
      results.add(
          new DemographicResult(
              r.dimensionValues(),
              Math.max(1, Math.round(r.value() * StableHash.between(h, share[0], share[1])))));
    }
    return results;
  }

  private List<DemographicResult> weighted(
      IgUser user, String dimension, List<String> catalogue, int max) {
    List<DemographicResult> results = new ArrayList<>();
    long h0 = StableHash.of(seed, user.id(), dimension, "count");
    int count =
        Math.min(
            max,
            Math.max(
                5, (int) StableHash.between(h0, catalogue.size() * 0.5, catalogue.size() + 1)));
    for (int i = 0; i < count; i++) {
      long h = StableHash.of(seed, user.id(), dimension, catalogue.get(i));
      // Zipf-like decay keeps the head of the list dominant, as real audiences are.
      double share = StableHash.between(h, 0.5, 1.5) / (i + 2);
      results.add(
          new DemographicResult(
              List.of(catalogue.get(i)),
              Math.max(1, Math.round(user.followersCount() * share * 0.15))));
    }
    return results;
  }

  private IgUser requireUser(String accountId) {
    IgUser user = usersById.get(accountId);
    if (user == null) {
      throw new IllegalArgumentException("no such IG user: " + accountId);
    }
    return user;
  }
}
