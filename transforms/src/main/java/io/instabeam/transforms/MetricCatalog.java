package io.instabeam.transforms;

import static io.instabeam.transforms.MetricCatalog.Edge.CHILDREN;
import static io.instabeam.transforms.MetricCatalog.Edge.MEDIA;
import static io.instabeam.transforms.MetricCatalog.Edge.STORIES;
import static io.instabeam.transforms.MetricCatalog.Surface.FEED;
import static io.instabeam.transforms.MetricCatalog.Surface.REELS;
import static io.instabeam.transforms.MetricCatalog.Surface.STORY;
import static io.instabeam.transforms.MetricCatalog.Type.BOOLEAN;
import static io.instabeam.transforms.MetricCatalog.Type.COUNTS;
import static io.instabeam.transforms.MetricCatalog.Type.INTEGER;
import static io.instabeam.transforms.MetricCatalog.Type.LIST;
import static io.instabeam.transforms.MetricCatalog.Type.NUMBER;
import static io.instabeam.transforms.MetricCatalog.Type.OBJECT;
import static io.instabeam.transforms.MetricCatalog.Type.STRING;
import static io.instabeam.transforms.MetricCatalog.Type.TIMESTAMP;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every field list and metric set the job requests, per object kind, as data: media by {@code
 * media_type/ media_product_type}, carousel children, stories, account time series, account daily
 * totals and demographics, each entry with the metric sets that request it ({@code airbyte}, {@code
 * current}), the logins that serve it and the first API version that has it. The streams request
 * from here, {@code discover} prints it, and the metric tables of {@code docs/streams.md} are
 * generated from it ({@code ReadmeCatalogTest} fails when they differ). A new metric is one line in
 * a table below plus its column in the stream's JSON Schema ({@code MetricCatalogTest} checks every
 * entry has its column with the entry's type).
 *
 * <p>{@code airbyte} lists are Airbyte's, verbatim and in Airbyte's order, so its requests and
 * records are the same byte for byte. {@code current} lists are every entry that applies to the
 * kind, the login and the version, in table order: the tables follow Meta's reference pages
 * (2026-09), which are an upper bound; what Meta rejects at run time is dropped for the kind
 * ({@link DroppedMetrics}).
 */
public final class MetricCatalog {
  /**
   * Meta's media insights surfaces, the columns of its table; AD media (boosted posts) count as
   * FEED.
   */
  public enum Surface {
    FEED,
    REELS,
    STORY
  }

  /**
   * The edges and nodes whose fields are requested: the media edge, the stories edge, carousel
   * children.
   */
  public enum Edge {
    MEDIA,
    STORIES,
    CHILDREN
  }

  /** The JSON Schema type of an entry's column. */
  public enum Type {
    INTEGER("integer"),
    NUMBER("number"),
    STRING("string"),
    BOOLEAN("boolean"),
    TIMESTAMP("string"),
    OBJECT("object"),
    LIST("array"),
    /** An object of integers keyed by data (hours, dimension values). */
    COUNTS("object");

    public final String jsonType;

    Type(String jsonType) {
      this.jsonType = jsonType;
    }
  }

  /**
   * The logins that serve an entry, the first API version that has it (null: every version) and
   * when Meta added it.
   */
  public record Availability(Set<Login> logins, String sinceVersion, String added)
      implements Serializable {
    boolean servedBy(Login login, String apiVersion) {
      return logins.contains(login)
          && (sinceVersion == null || version(apiVersion) >= version(sinceVersion));
    }
  }

  /**
   * A media or story insights metric of {@code current}, and the surfaces Meta documents it for.
   */
  public record ItemMetric(
      String name, Type type, Set<Surface> surfaces, Availability availability) {}

  /** A field of the media or stories edge or of a carousel child, and the sets that request it. */
  public record Field(
      String name, Type type, Set<Edge> edges, Set<MetricSet> sets, Availability availability) {}

  /**
   * An account metric answered as a daily time series, in its periods; its record keys get the
   * period's suffix.
   */
  public record SeriesMetric(
      String name, Type type, List<String> periods, Availability availability) {}

  /**
   * An account metric that Meta answers only as one total per range ({@code
   * metric_type=total_value}), so a daily value costs one range per day; with a breakdown, its
   * values per dimension value, in {@code key()}.
   */
  public record TotalMetric(String name, Type type, String breakdown, Availability availability) {
    /** The record key: the metric's name, or {@code <metric>_by_<breakdown>} for its split. */
    public String key() {
      return key(name, breakdown);
    }

    /** The record key of {@code metric} split by {@code breakdown} (null: the plain total). */
    public static String key(String metric, String breakdown) {
      return breakdown == null ? metric : metric + "_by_" + breakdown;
    }
  }

  /**
   * A demographic metric, its breakdowns, the timeframe it is asked for (null: none) and the sets
   * that request it.
   */
  public record Demographic(
      String metric,
      List<String> breakdowns,
      String timeframe,
      Set<MetricSet> sets,
      Availability availability) {}

  private static final Set<Login> BOTH_LOGINS = EnumSet.allOf(Login.class);
  private static final Set<Login> FACEBOOK_LOGIN = EnumSet.of(Login.FACEBOOK);
  private static final Availability ALWAYS = new Availability(BOTH_LOGINS, null, null);
  private static final Set<MetricSet> BOTH_SETS = EnumSet.allOf(MetricSet.class);
  private static final Set<MetricSet> CURRENT_ONLY = EnumSet.of(MetricSet.CURRENT);
  private static final String ANY = "*";

  // ------------------------------------------------------------------------------------------------ the tables

  /**
   * Media and story insights metrics of {@code current}, as Meta's media insights reference lists
   * them.
   */
  static final List<ItemMetric> ITEM_METRICS =
      List.of(
          item("views", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, "v22.0", "2025-01"),
          item("reach", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, null, null),
          item("likes", INTEGER, on(FEED, REELS), BOTH_LOGINS, null, null),
          item("comments", INTEGER, on(FEED, REELS), BOTH_LOGINS, null, null),
          item("saved", INTEGER, on(FEED, REELS), BOTH_LOGINS, null, null),
          item("shares", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, null, null),
          item("total_interactions", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, null, null),
          item("reposts", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, null, "2025-12"),
          item("follows", INTEGER, on(FEED, STORY), BOTH_LOGINS, null, null),
          item("profile_visits", INTEGER, on(FEED, STORY), BOTH_LOGINS, null, null),
          item("profile_activity", INTEGER, on(FEED, STORY), BOTH_LOGINS, null, null),
          item("navigation", INTEGER, on(STORY), BOTH_LOGINS, null, null),
          item("replies", INTEGER, on(STORY), BOTH_LOGINS, null, null),
          item("ig_reels_avg_watch_time", NUMBER, on(REELS), BOTH_LOGINS, null, null),
          item("ig_reels_video_view_total_time", NUMBER, on(REELS), BOTH_LOGINS, null, null),
          item("reels_skip_rate", NUMBER, on(REELS), BOTH_LOGINS, null, "2025-12"),
          item("crossposted_views", INTEGER, on(REELS), BOTH_LOGINS, null, "2025-12"),
          item("facebook_views", INTEGER, on(FEED, REELS, STORY), BOTH_LOGINS, null, "2026-04"),
          item("link_clicks", INTEGER, on(STORY), FACEBOOK_LOGIN, null, "2026-06"),
          item("total_likes", INTEGER, on(FEED, REELS), FACEBOOK_LOGIN, null, "2026-04"),
          item("total_comments", INTEGER, on(FEED, REELS), FACEBOOK_LOGIN, null, "2026-04"),
          item("total_views", INTEGER, on(FEED, REELS, STORY), FACEBOOK_LOGIN, null, "2026-04"));

  /**
   * Airbyte's media insights metrics: the first rule matching the media's type and product type
   * wins.
   */
  private static final List<AirbyteRule> AIRBYTE_MEDIA_INSIGHTS =
      List.of(
          new AirbyteRule(
              ANY,
              "REELS",
              "comments,ig_reels_avg_watch_time,ig_reels_video_view_total_time,likes,reach,saved,shares"),
          new AirbyteRule("VIDEO", "FEED", "reach,saved"),
          new AirbyteRule("VIDEO", ANY, "reach,saved,likes,comments,shares,follows,profile_visits"),
          new AirbyteRule("CAROUSEL_ALBUM", ANY, "reach,saved,shares,follows,profile_visits"),
          new AirbyteRule(ANY, ANY, "reach,saved,likes,comments,shares,follows,profile_visits"));

  private static final List<String> AIRBYTE_STORY_INSIGHTS =
      List.of("reach", "replies", "follows", "profile_visits", "shares", "total_interactions");

  /**
   * Fields of the media and stories edges and of carousel children, in Airbyte's order; {@code
   * children} is expanded in the media request with the children's fields ({@code children{…}}),
   * where Airbyte spends a call per child.
   */
  static final List<Field> FIELDS =
      List.of(
          field("caption", STRING, in(MEDIA, STORIES), BOTH_SETS, ALWAYS),
          field("comments_count", INTEGER, in(MEDIA), BOTH_SETS, ALWAYS),
          field("id", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("ig_id", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("is_comment_enabled", BOOLEAN, in(MEDIA), BOTH_SETS, ALWAYS),
          field("like_count", INTEGER, in(MEDIA, STORIES), BOTH_SETS, ALWAYS),
          field("media_type", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("media_product_type", STRING, in(MEDIA, STORIES), BOTH_SETS, ALWAYS),
          field("media_url", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("owner", OBJECT, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("permalink", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("shortcode", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("thumbnail_url", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("timestamp", TIMESTAMP, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("username", STRING, in(MEDIA, STORIES, CHILDREN), BOTH_SETS, ALWAYS),
          field("children", LIST, in(MEDIA), BOTH_SETS, ALWAYS),
          field(
              "reposts_count",
              INTEGER,
              in(MEDIA, STORIES),
              CURRENT_ONLY,
              since(FACEBOOK_LOGIN, "2026-04")),
          field(
              "saved_count",
              INTEGER,
              in(MEDIA, STORIES),
              CURRENT_ONLY,
              since(FACEBOOK_LOGIN, "2026-04")),
          field(
              "shares_count",
              INTEGER,
              in(MEDIA, STORIES),
              CURRENT_ONLY,
              since(FACEBOOK_LOGIN, "2026-04")),
          field(
              "media_audio_type",
              STRING,
              in(MEDIA, STORIES),
              CURRENT_ONLY,
              since(BOTH_LOGINS, "2026-06")),
          field(
              "is_ai_generated",
              BOOLEAN,
              in(MEDIA, STORIES),
              CURRENT_ONLY,
              since(BOTH_LOGINS, "2026-06")));

  /**
   * A competitor's profile as Business Discovery serves it (Facebook Login only), for the
   * competitors stream.
   */
  public static final String DISCOVERY_FIELDS =
      "username,id,ig_id,name,biography,website,profile_picture_url,followers_count,follows_count,media_count";

  /**
   * A competitor's media through Business Discovery: public counts only, {@code view_count} for
   * reels.
   */
  public static final String DISCOVERY_MEDIA_FIELDS =
      "id,timestamp,caption,like_count,comments_count,view_count,"
          + "media_type,media_product_type,media_url,permalink";

  /** A comment or reply, for the media_comments stream ({@code parent_id} is only on replies). */
  public static final String COMMENT_FIELDS =
      "id,text,timestamp,username,from,like_count,hidden,parent_id";

  /**
   * Other creators' media on the tags and collaborative_media edges: the public fields Meta serves
   * of them.
   */
  public static final String PUBLIC_MEDIA_FIELDS =
      "id,caption,comments_count,like_count,media_type,"
          + "media_product_type,media_url,permalink,timestamp,username";

  /** The {@code users} stream's fields (the same in both sets), in Airbyte's order. */
  public static final String USER_FIELDS =
      "id,biography,ig_id,followers_count,follows_count,media_count,name,profile_picture_url,username,website";

  /**
   * Account metrics answered as daily time series, in both sets. Meta's 2026-09 metrics table no
   * longer lists {@code follower_count} and {@code online_followers}: if Meta rejects them, only
   * their columns are lost.
   */
  static final List<SeriesMetric> ACCOUNT_TIME_SERIES =
      List.of(
          new SeriesMetric("follower_count", INTEGER, List.of("day"), ALWAYS),
          new SeriesMetric("reach", INTEGER, List.of("day", "week", "days_28"), ALWAYS),
          new SeriesMetric("online_followers", COUNTS, List.of("lifetime"), ALWAYS));

  /**
   * Account metrics Meta answers only as totals per range: {@code current} asks for each day's
   * range.
   */
  static final List<TotalMetric> ACCOUNT_DAILY_TOTALS =
      List.of(
          total("views", null, since(BOTH_LOGINS, "v22.0", "2025-01")),
          total("accounts_engaged", null, ALWAYS),
          total("total_interactions", null, ALWAYS),
          total("likes", null, ALWAYS),
          total("comments", null, ALWAYS),
          total("shares", null, ALWAYS),
          total("saves", null, ALWAYS),
          total("replies", null, ALWAYS),
          total("reposts", null, since(BOTH_LOGINS, "2025-12")),
          total("follows_and_unfollows", null, ALWAYS),
          total("profile_links_taps", null, ALWAYS),
          total("follows_and_unfollows", "follow_type", ALWAYS),
          total("profile_links_taps", "contact_button_type", ALWAYS));

  /**
   * The demographic metrics of {@code user_lifetime_insights}, one request per metric and
   * breakdown.
   */
  static final List<Demographic> DEMOGRAPHICS =
      List.of(
          new Demographic(
              "follower_demographics",
              List.of("city", "country", "age,gender"),
              null,
              BOTH_SETS,
              ALWAYS),
          new Demographic(
              "engaged_audience_demographics",
              List.of("city", "country", "age,gender"),
              "this_month",
              CURRENT_ONLY,
              ALWAYS));

  /** The media kinds the media edge answers, for {@code discover} and the docs' metric tables. */
  static final List<String> MEDIA_KINDS =
      List.of(
          "IMAGE/FEED",
          "VIDEO/FEED",
          "CAROUSEL_ALBUM/FEED",
          "VIDEO/REELS",
          "IMAGE/AD",
          "VIDEO/AD",
          "CAROUSEL_ALBUM/AD");

  static final List<String> STORY_KINDS = List.of("IMAGE/STORY", "VIDEO/STORY");

  // ------------------------------------------------------------------------------------------------ selection

  private MetricCatalog() {}

  /**
   * What one run requests: the metric set, the login and the API version. Serializable, so
   * transforms carry it to the workers.
   */
  public record Selection(MetricSet set, Login login, String apiVersion) implements Serializable {
    /** The selection of a run with {@code config}'s login and API version. */
    public static Selection of(MetricSet set, GraphApiConfig config) {
      return new Selection(set, config.login(), config.apiVersion());
    }

    /** The insights metrics of a media item of {@code mediaType} and {@code productType}. */
    public List<String> mediaInsights(String mediaType, String productType) {
      if (set == MetricSet.AIRBYTE) {
        return AIRBYTE_MEDIA_INSIGHTS.stream()
            .filter(rule -> rule.matches(mediaType, productType))
            .findFirst()
            .orElseThrow()
            .metrics();
      }
      Surface surface =
          "REELS".equals(productType) ? REELS : "STORY".equals(productType) ? STORY : FEED;
      return itemMetrics(surface);
    }

    /** The insights metrics of a story. */
    public List<String> storyInsights() {
      return set == MetricSet.AIRBYTE ? AIRBYTE_STORY_INSIGHTS : itemMetrics(STORY);
    }

    private List<String> itemMetrics(Surface surface) {
      return ITEM_METRICS.stream()
          .filter(
              m -> m.surfaces().contains(surface) && m.availability().servedBy(login, apiVersion))
          .map(ItemMetric::name)
          .toList();
    }

    /**
     * The {@code fields} parameter of {@code edge}; the media edge's expands {@code children{…}}.
     */
    public String fields(Edge edge) {
      return fieldList(edge).stream()
          .map(f -> f.name().equals("children") ? "children{" + fields(CHILDREN) + "}" : f.name())
          .collect(Collectors.joining(","));
    }

    List<Field> fieldList(Edge edge) {
      return FIELDS.stream()
          .filter(f -> f.edges().contains(edge) && f.sets().contains(set))
          .filter(f -> f.availability().servedBy(login, apiVersion))
          .toList();
    }

    /**
     * The time-series metrics of one period group ({@code day}, {@code week}, {@code days_28},
     * {@code lifetime}).
     */
    public List<String> accountTimeSeries(String period) {
      return ACCOUNT_TIME_SERIES.stream()
          .filter(m -> m.periods().contains(period) && m.availability().servedBy(login, apiVersion))
          .map(SeriesMetric::name)
          .toList();
    }

    /** The account metrics asked as one total per day: none in {@code airbyte}. */
    public List<TotalMetric> accountDailyTotals() {
      return set == MetricSet.AIRBYTE
          ? List.of()
          : ACCOUNT_DAILY_TOTALS.stream()
              .filter(m -> m.availability().servedBy(login, apiVersion))
              .toList();
    }

    public List<Demographic> demographics() {
      return DEMOGRAPHICS.stream()
          .filter(d -> d.sets().contains(set) && d.availability().servedBy(login, apiVersion))
          .toList();
    }
  }

  /** Every time-series metric of a period group, in table order (the same in both sets). */
  static List<String> accountTimeSeriesOf(String period) {
    return ACCOUNT_TIME_SERIES.stream()
        .filter(m -> m.periods().contains(period))
        .map(SeriesMetric::name)
        .toList();
  }

  /** The two selections of a login and version, for {@code discover}. */
  public static List<Selection> selections(Login login, String apiVersion) {
    List<Selection> selections = new ArrayList<>();
    for (MetricSet set : MetricSet.values()) {
      selections.add(new Selection(set, login, apiVersion));
    }
    return selections;
  }

  /** The object kind of a media item or story in messages and counters: {@code VIDEO/FEED}. */
  public static String kind(String mediaType, String productType) {
    return mediaType + "/" + productType;
  }

  /**
   * What each set requests per stream and kind, for {@code discover}: {@code {"current":
   * {"media_insights": {"IMAGE/FEED": [...]}, "media": "fields", ...}, "airbyte": {...}}}.
   */
  public static ObjectNode describe(Login login, String apiVersion) {
    ObjectNode sets = new ObjectMapper().createObjectNode();
    for (Selection selection : selections(login, apiVersion)) {
      ObjectNode set = sets.putObject(selection.set().optionValue());
      set.put("media", selection.fields(MEDIA));
      set.put("stories", selection.fields(STORIES));
      ObjectNode media = set.putObject("media_insights");
      for (String kind : MEDIA_KINDS) {
        String[] types = kind.split("/");
        strings(media.putArray(kind), selection.mediaInsights(types[0], types[1]));
      }
      strings(set.putArray("story_insights"), selection.storyInsights());
      ObjectNode account = set.putObject("user_insights");
      for (String period : List.of("day", "week", "days_28", "lifetime")) {
        strings(account.putArray(period), selection.accountTimeSeries(period));
      }
      strings(
          account.putArray("daily_total_value"),
          selection.accountDailyTotals().stream().map(TotalMetric::key).toList());
      ArrayNode demographics = set.putArray("user_lifetime_insights");
      for (Demographic d : selection.demographics()) {
        for (String breakdown : d.breakdowns()) {
          ObjectNode request =
              demographics.addObject().put("metric", d.metric()).put("breakdown", breakdown);
          if (d.timeframe() != null) {
            request.put("timeframe", d.timeframe());
          }
        }
      }
    }
    return sets;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record AirbyteRule(String mediaType, String productType, String metricList) {
    boolean matches(String type, String product) {
      return (mediaType.equals(ANY) || mediaType.equals(type))
          && (productType.equals(ANY) || productType.equals(product));
    }

    List<String> metrics() {
      return List.of(metricList.split(","));
    }
  }

  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");

  /** {@code v25.0} → 25000, for comparisons; an unreadable version counts as the newest. */
  static int version(String apiVersion) {
    Matcher m = VERSION.matcher(apiVersion == null ? "" : apiVersion);
    return m.matches()
        ? Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2))
        : Integer.MAX_VALUE;
  }

  private static ItemMetric item(
      String name,
      Type type,
      Set<Surface> surfaces,
      Set<Login> logins,
      String sinceVersion,
      String added) {
    return new ItemMetric(name, type, surfaces, new Availability(logins, sinceVersion, added));
  }

  private static Field field(
      String name, Type type, Set<Edge> edges, Set<MetricSet> sets, Availability availability) {
    return new Field(name, type, edges, sets, availability);
  }

  private static TotalMetric total(String name, String breakdown, Availability availability) {
    return new TotalMetric(name, breakdown == null ? INTEGER : COUNTS, breakdown, availability);
  }

  private static Availability since(Set<Login> logins, String added) {
    return new Availability(logins, null, added);
  }

  private static Availability since(Set<Login> logins, String sinceVersion, String added) {
    return new Availability(logins, sinceVersion, added);
  }

  private static Set<Surface> on(Surface... surfaces) {
    return EnumSet.copyOf(List.of(surfaces));
  }

  private static Set<Edge> in(Edge... edges) {
    return EnumSet.copyOf(List.of(edges));
  }
}
