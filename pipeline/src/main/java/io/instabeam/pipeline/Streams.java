package io.instabeam.pipeline;

import static io.instabeam.schemas.StreamCatalog.API;
import static io.instabeam.schemas.StreamCatalog.COLLABORATIVE_MEDIA;
import static io.instabeam.schemas.StreamCatalog.COMPETITORS;
import static io.instabeam.schemas.StreamCatalog.COMPETITOR_MEDIA;
import static io.instabeam.schemas.StreamCatalog.MEDIA;
import static io.instabeam.schemas.StreamCatalog.MEDIA_COMMENTS;
import static io.instabeam.schemas.StreamCatalog.MEDIA_INSIGHTS;
import static io.instabeam.schemas.StreamCatalog.STORIES;
import static io.instabeam.schemas.StreamCatalog.STORY_INSIGHTS;
import static io.instabeam.schemas.StreamCatalog.TAGGED_MEDIA;
import static io.instabeam.schemas.StreamCatalog.USERS;
import static io.instabeam.schemas.StreamCatalog.USER_INSIGHTS;
import static io.instabeam.schemas.StreamCatalog.USER_LIFETIME_INSIGHTS;

import io.instabeam.pipeline.state.StateFile;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.transforms.Account;
import io.instabeam.transforms.Competitors;
import io.instabeam.transforms.InstagramIO;
import io.instabeam.transforms.ItemInsights;
import io.instabeam.transforms.Login;
import io.instabeam.transforms.MediaComments;
import io.instabeam.transforms.MediaEdge;
import io.instabeam.transforms.MediaRefresh;
import io.instabeam.transforms.MediaRefreshPlan;
import io.instabeam.transforms.RecordShape;
import io.instabeam.transforms.UserInsights;
import io.instabeam.transforms.UserInsightsPlan;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Every stream the job reads, one entry each: its catalog definition ({@link StreamCatalog}: name,
 * keys, cursor, sync modes, schema), where it hangs in the entity-relationship diagram, and how it
 * is read from the accounts. {@link InstabeamPipeline} reads the selected ones; {@code discover}
 * and the ERD list them all, and the README's table of streams is generated from them. A new stream
 * is its schema and catalog entry, its reader in {@code transforms}, and an entry here.
 */
final class Streams {
  /**
   * One stream: what it is (and what one record of it is), what it belongs to, how it is read, and
   * the logins that serve it.
   */
  record Stream(
      StreamDefinition definition,
      String recordPer,
      Relation parent,
      Read read,
      Set<Login> logins) {
    String name() {
      return definition.name();
    }

    boolean servedBy(Login login) {
      return logins.contains(login);
    }

    /** This stream, served by {@code login} only. */
    Stream onlyWith(Login login) {
      return new Stream(definition, recordPer, parent, read, EnumSet.of(login));
    }
  }

  /**
   * The stream's relation to another, as a Mermaid ER edge {@code other cardinality this : key}, e.g.
   * {@code users ||--o{ media : business_account_id}.
   */
  record Relation(String other, String cardinality, String key) {}

  /** How a stream's records are read, given what one run's readers share. */
  @FunctionalInterface
  interface Read {
    PCollection<String> records(Reading reading);
  }

  private static final String ONE_TO_ONE = "||--||";
  private static final String ONE_TO_MANY = "||--o{";
  private static final String ONE_TO_ZERO_OR_ONE = "||--o|";

  static final List<Stream> ALL =
      List.of(
          // Airbyte's Api stream lists the Facebook pages of me/accounts, which Instagram Login
          // does not have.
          stream(
                  API,
                  "page with an Instagram business account",
                  new Relation(USERS, ONE_TO_ONE, "users.id = Api.account.business_account_id"),
                  r -> r.accounts().apply("Api", InstagramIO.api()))
              .onlyWith(Login.FACEBOOK),
          stream(
              USERS,
              "account",
              null,
              r -> r.accounts().apply("users", InstagramIO.users(r.job().graph()))),
          stream(
              USER_LIFETIME_INSIGHTS,
              "account × metric × breakdown (`city`, `country`, `age,gender`)",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              r ->
                  r.accounts()
                      .apply(
                          "user_lifetime_insights",
                          InstagramIO.userLifetimeInsights(r.job().graph())
                              .withMetricSet(r.job().metricSet()))),
          stream(
              USER_INSIGHTS,
              "account × day",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              Streams::userInsights),
          stream(
              MEDIA,
              "post, carousel children inline",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              r -> media(r).items()),
          stream(
              MEDIA_INSIGHTS,
              "post: one key per metric of its kind",
              new Relation(MEDIA, ONE_TO_ZERO_OR_ONE, "id"),
              r -> media(r).insights()),
          stream(
              STORIES,
              "story of the last 24 h",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              r -> stories(r).items()),
          stream(
              STORY_INSIGHTS,
              "story: one key per metric",
              new Relation(STORIES, ONE_TO_ZERO_OR_ONE, "id"),
              r -> stories(r).insights()),
          stream(
              MEDIA_COMMENTS,
              "comment or reply on the media since `--startDate`",
              new Relation(MEDIA, ONE_TO_MANY, "media_id"),
              Streams::mediaComments),
          stream(
              TAGGED_MEDIA,
              "other creator's post the account is tagged in",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              r -> r.accounts().apply(TAGGED_MEDIA, InstagramIO.taggedMedia(r.job().graph()))),
          // Business Discovery is not available with Instagram Login.
          stream(
                  COMPETITORS,
                  "competitor of `--competitors` per run (Business Discovery)",
                  null,
                  r -> competitors(r).get(Competitors.PROFILES))
              .onlyWith(Login.FACEBOOK),
          stream(
                  COMPETITOR_MEDIA,
                  "competitor's post since `--startDate`, per run",
                  new Relation(COMPETITORS, ONE_TO_MANY, "username"),
                  r -> competitors(r).get(Competitors.MEDIA))
              .onlyWith(Login.FACEBOOK),
          stream(
              COLLABORATIVE_MEDIA,
              "other creator's post the account collaborates on",
              new Relation(USERS, ONE_TO_MANY, "business_account_id"),
              r ->
                  r.accounts()
                      .apply(
                          COLLABORATIVE_MEDIA, InstagramIO.collaborativeMedia(r.job().graph()))));

  private Streams() {}

  /** A stream served by every login; {@code recordPer} says what one record is, for the docs. */
  private static Stream stream(String name, String recordPer, Relation parent, Read read) {
    return new Stream(StreamCatalog.get(name), recordPer, parent, read, EnumSet.allOf(Login.class));
  }

  static Stream get(String name) {
    return ALL.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no reader for stream " + name));
  }

  /**
   * Full-refresh modes read the whole range again; the state still records how far the written data
   * reaches.
   */
  private static PCollection<String> userInsights(Reading r) {
    JobConfig job = r.job();
    UserInsightsPlan plan =
        new UserInsightsPlan(
            job.now(),
            job.startDate(),
            job.lookback(),
            job.syncMode(USER_INSIGHTS).isIncremental()
                ? r.state().watermarks(USER_INSIGHTS)
                : Map.of(),
            job.startDateGiven());
    PCollectionTuple insights =
        r.accounts()
            .apply(
                "user_insights",
                InstagramIO.userInsights(job.graph(), plan).withMetricSet(job.metricSet()));
    r.advances(USER_INSIGHTS, insights.get(UserInsights.WATERMARKS));
    return insights.get(UserInsights.RECORDS);
  }

  /**
   * Incremental by comment timestamp per account, as user_insights by date; media since
   * --startDate.
   */
  private static PCollection<String> mediaComments(Reading r) {
    JobConfig job = r.job();
    MediaComments read = InstagramIO.mediaComments(job.graph(), job.startDate());
    if (job.syncMode(MEDIA_COMMENTS).isIncremental()) {
      read = read.withWatermarks(r.state().watermarks(MEDIA_COMMENTS));
    }
    PCollectionTuple comments = r.accounts().apply(MEDIA_COMMENTS, read);
    r.advances(MEDIA_COMMENTS, comments.get(MediaComments.WATERMARKS));
    return comments.get(MediaComments.RECORDS);
  }

  /**
   * The competitors' profiles and, when competitor_media is selected, their media: one read for
   * both streams.
   */
  private static PCollectionTuple competitors(Reading r) {
    return r.once(
        COMPETITORS,
        accounts -> {
          JobConfig job = r.job();
          Competitors read =
              InstagramIO.competitors(job.graph(), job.competitors(), job.now())
                  .withMediaSince(job.startDate());
          return accounts.apply(
              COMPETITORS, job.selects(COMPETITOR_MEDIA) ? read : read.withoutMedia());
        });
  }

  private static ItemRead media(Reading r) {
    return r.items(
        MEDIA,
        InstagramIO.media(r.job().graph()).withMetricSet(r.job().metricSet()),
        MEDIA_INSIGHTS,
        InstagramIO.mediaInsights(r.job().graph()).withMetricSet(r.job().metricSet()));
  }

  private static ItemRead stories(Reading r) {
    return r.items(
        STORIES,
        InstagramIO.stories(r.job().graph()).withMetricSet(r.job().metricSet()),
        STORY_INSIGHTS,
        InstagramIO.storyInsights(r.job().graph()).withMetricSet(r.job().metricSet()));
  }

  /** An edge's items and, when that stream is selected, their insights (else null). */
  record ItemRead(PCollection<String> items, PCollection<String> insights) {}

  /**
   * What the readers of one run share: the accounts, the job, the state read at start, the
   * watermarks the readers produce (for the state written after the sink committed), and reads that
   * feed two streams.
   */
  static final class Reading {
    private final PCollection<Account> accounts;
    private final JobConfig job;
    private final StateFile state;
    private final Map<String, PCollection<KV<String, String>>> watermarks = new LinkedHashMap<>();
    private final Map<String, PCollection<KV<String, String>>> engagement = new LinkedHashMap<>();
    private final Map<String, ItemRead> itemReads = new HashMap<>();
    private final Map<String, PCollectionTuple> sharedReads = new HashMap<>();

    Reading(PCollection<Account> accounts, JobConfig job, StateFile state) {
      this.accounts = accounts;
      this.job = job;
      this.state = state;
    }

    PCollection<Account> accounts() {
      return accounts;
    }

    JobConfig job() {
      return job;
    }

    StateFile state() {
      return state;
    }

    /**
     * Records that {@code stream}'s read moves its cursors to {@code cursors} (business account id,
     * cursor).
     */
    void advances(String stream, PCollection<KV<String, String>> cursors) {
      watermarks.put(stream, cursors);
    }

    Map<String, PCollection<KV<String, String>>> watermarks() {
      return watermarks;
    }

    /**
     * Records that {@code stream}'s state keeps each item's engagement (business account id,
     * id=likes,comments).
     */
    void remembers(String stream, PCollection<KV<String, String>> items) {
      engagement.put(stream, items);
    }

    Map<String, PCollection<KV<String, String>>> engagement() {
      return engagement;
    }

    /** A read whose outputs feed several streams, applied once per run under {@code name}. */
    PCollectionTuple once(
        String name, java.util.function.Function<PCollection<Account>, PCollectionTuple> read) {
      return sharedReads.computeIfAbsent(name, n -> read.apply(accounts));
    }

    /**
     * An edge's items and their insights, read once for both streams. When both are selected, the
     * items flow on through the insights step ({@link ItemInsights#withItems()}) rather than
     * branching off before it, so that batch runners fetch insights while the edge is still being
     * read.
     */
    ItemRead items(
        String itemStream, MediaEdge edge, String insightsStream, ItemInsights insights) {
      return itemReads.computeIfAbsent(
          itemStream,
          s -> {
            MediaRefreshPlan plan = refreshPlan(itemStream, insightsStream);
            if (!plan.isFullRefresh()) {
              return changedItems(itemStream, edge, insightsStream, insights, plan);
            }
            PCollection<String> items = accounts.apply(itemStream, edge);
            if (!job.selects(insightsStream)) {
              return new ItemRead(items, null);
            }
            PCollectionTuple both = items.apply(insightsStream, insights.withItems());
            return new ItemRead(both.get(ItemInsights.ITEMS), both.get(ItemInsights.INSIGHTS));
          });
    }

    /** What the sync modes and the state say an edge's run reads (see {@link MediaRefreshPlan}). */
    private MediaRefreshPlan refreshPlan(String itemStream, String insightsStream) {
      boolean itemsIncremental =
          job.selects(itemStream) && job.syncMode(itemStream).isIncremental();
      boolean insightsIncremental =
          job.selects(insightsStream) && job.syncMode(insightsStream).isIncremental();
      if (!itemsIncremental && !insightsIncremental) {
        return MediaRefreshPlan.fullRefresh(job.now());
      }
      Map<String, MediaRefreshPlan.InsightsRead> insightsRead = new HashMap<>();
      if (insightsIncremental) {
        Map<String, Map<String, String>> engagement = state.engagement(insightsStream);
        state
            .watermarks(insightsStream)
            .forEach(
                (account, readAt) ->
                    insightsRead.put(
                        account,
                        new MediaRefreshPlan.InsightsRead(
                            readAt, engagement.getOrDefault(account, Map.of()))));
      }
      return new MediaRefreshPlan(
          job.now(),
          job.lookback(),
          job.mediaRefresh(),
          job.insightsMaxAge(),
          itemsIncremental,
          insightsIncremental,
          itemsIncremental ? state.watermarks(itemStream) : Map.of(),
          insightsRead);
    }

    /**
     * An incremental read: the part of the edge {@code plan} needs, sorted into the items to
     * publish and those whose insights are due; the cursors (the newest item per account; when
     * insights were read) and the engagement the state keeps are committed with the sink's write.
     */
    private ItemRead changedItems(
        String itemStream,
        MediaEdge edge,
        String insightsStream,
        ItemInsights insights,
        MediaRefreshPlan plan) {
      PCollectionTuple sorted =
          accounts
              .apply(itemStream, edge.withRefreshPlan(plan))
              .apply(itemStream + " changes", MediaEdge.changes(plan));
      if (plan.itemsIncremental()) {
        advances(itemStream, sorted.get(MediaRefresh.NEWEST));
      }
      PCollection<String> insightsRecords = null;
      if (job.selects(insightsStream)) {
        insightsRecords =
            sorted
                .get(MediaRefresh.INSIGHTS_DUE)
                .apply(
                    insightsStream,
                    plan.insightsIncremental() ? insights.withReadAt(job.now()) : insights);
      }
      if (plan.insightsIncremental()) {
        advances(
            insightsStream,
            accounts.apply(
                "When " + insightsStream + " were read",
                MapElements.via(new ReadAt(RecordShape.rfc3339(job.now())))));
        remembers(insightsStream, sorted.get(MediaRefresh.ENGAGEMENT));
      }
      return new ItemRead(sorted.get(MediaRefresh.PUBLISHED), insightsRecords);
    }
  }

  /** Each account's insights cursor: the run's time. */
  static final class ReadAt extends SimpleFunction<Account, KV<String, String>> {
    private final String cursor;

    ReadAt(String cursor) {
      this.cursor = cursor;
    }

    @Override
    public KV<String, String> apply(Account account) {
      return KV.of(account.businessAccountId(), cursor);
    }
  }

  /** Every stream's definition, in the order the docs list them. */
  static List<StreamDefinition> definitions() {
    return ALL.stream().map(Stream::definition).collect(Collectors.toList());
  }
}
