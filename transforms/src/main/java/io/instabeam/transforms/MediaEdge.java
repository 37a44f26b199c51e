package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.EdgePages;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.schemas.StreamCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code media} and {@code stories} streams: an account's media (or stories) edge, page by
 * page, each item given Airbyte's shape. Carousel children come expanded in the same page request
 * ({@code children{…}}), where Airbyte spends one call per child.
 *
 * <p>The read is a splittable DoFn whose restriction is the account's time range ({@link
 * MediaTimeRange}): the media edge accepts {@code since}/{@code until}, so an account's history is
 * split up front into periods (a year each by default, a bounded number of them) that different
 * workers read at once, each following the edge's cursors inside its range. Every item is claimed
 * before it is output, so a checkpointed or restarted read resumes below the last item it emitted
 * instead of re-reading its range. Stories live 24 hours, so their edge is read as one range.
 */
public final class MediaEdge extends PTransform<PCollection<Account>, PCollection<String>> {
  /**
   * Which edge, with its fields in the catalog, the partition object kept in each record, and the
   * initial split.
   */
  public enum Kind {
    MEDIA(
        StreamCatalog.MEDIA,
        "media",
        MetricCatalog.Edge.MEDIA,
        "media_insights_info",
        "media_id",
        5),
    STORIES(
        StreamCatalog.STORIES,
        "stories",
        MetricCatalog.Edge.STORIES,
        "story_insights_info",
        "story_id",
        1);

    final String stream;
    final String edge;
    final MetricCatalog.Edge fields;
    final String infoField;
    final String infoIdField;
    final int defaultRanges;

    Kind(
        String stream,
        String edge,
        MetricCatalog.Edge fields,
        String infoField,
        String infoIdField,
        int defaultRanges) {
      this.stream = stream;
      this.edge = edge;
      this.fields = fields;
      this.infoField = infoField;
      this.infoIdField = infoIdField;
      this.defaultRanges = defaultRanges;
    }
  }

  /** Default length of one initial range of an account's media. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(365);

  private final GraphApiConfig config;
  private final Kind kind;
  private final Duration period;
  private final int maxRanges;
  private final MetricSet metricSet;
  private final MediaRefreshPlan plan;

  MediaEdge(GraphApiConfig config, Kind kind) {
    this(config, kind, DEFAULT_PERIOD, kind.defaultRanges, MetricSet.AIRBYTE, null);
  }

  private MediaEdge(
      GraphApiConfig config,
      Kind kind,
      Duration period,
      int maxRanges,
      MetricSet metricSet,
      MediaRefreshPlan plan) {
    this.config = config;
    this.kind = kind;
    this.period = period;
    this.maxRanges = maxRanges;
    this.metricSet = metricSet;
    this.plan = plan;
  }

  /**
   * Requests {@code metricSet}'s fields (default: Airbyte's, the record shapes this library has
   * always had).
   */
  public MediaEdge withMetricSet(MetricSet metricSet) {
    return new MediaEdge(config, kind, period, maxRanges, metricSet, plan);
  }

  /**
   * Reads only what {@code plan} needs of each account ({@link MediaRefreshPlan#readRange});
   * without a plan, or with a full-refresh one, every item.
   */
  public MediaEdge withRefreshPlan(MediaRefreshPlan plan) {
    return new MediaEdge(config, kind, period, maxRanges, metricSet, plan);
  }

  /**
   * Sorts this edge's records by what changed since the state's runs, per {@code plan} (see {@link
   * MediaRefresh}).
   */
  public static MediaRefresh changes(MediaRefreshPlan plan) {
    return new MediaRefresh(plan);
  }

  /**
   * Splits each account's history into up to {@code maxRanges} ranges of {@code period}, counted
   * back from the time of the read; the oldest range takes everything before. More ranges mean more
   * readers per account but more (partly filled) pages: each range ends with a page of its own.
   */
  public MediaEdge withInitialSplit(Duration period, int maxRanges) {
    if (period.isNegative() || period.isZero() || maxRanges < 1) {
      throw new IllegalArgumentException(
          "the initial split needs a positive period and at least one range");
    }
    return new MediaEdge(config, kind, period, maxRanges, metricSet, plan);
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts
        .apply(
            "Read " + kind.edge + " by time range",
            ParDo.of(
                new ReadEdgeByTimeRange(
                    config,
                    kind,
                    period,
                    maxRanges,
                    MetricCatalog.Selection.of(metricSet, config).fields(kind.fields),
                    plan)))
        .apply("One record per item", Flatten.iterables());
  }

  /**
   * The splittable read: restriction = the account's time range, position = an item's (second, id),
   * claimed a page at a time. It outputs a page's records as one element: the DirectRunner
   * checkpoints after 100 outputs, and every bundle it cuts costs the same downstream whatever its
   * size, so bundles of pages run far faster than of items.
   */
  @DoFn.BoundedPerElement
  static final class ReadEdgeByTimeRange extends GraphDoFn<Account, List<String>> {
    private final Kind kind;
    private final Duration period;
    private final int maxRanges;
    private final String fields;
    private final MediaRefreshPlan plan;

    ReadEdgeByTimeRange(
        GraphApiConfig config,
        Kind kind,
        Duration period,
        int maxRanges,
        String fields,
        MediaRefreshPlan plan) {
      super(config);
      this.kind = kind;
      this.period = period;
      this.maxRanges = maxRanges;
      this.fields = fields;
      this.plan = plan;
    }

    @GetInitialRestriction
    public MediaTimeRange initialRestriction(@Element Account account) {
      return plan == null ? MediaTimeRange.all() : plan.readRange(account.businessAccountId());
    }

    @SplitRestriction
    public void splitRestriction(
        @Restriction MediaTimeRange range, OutputReceiver<MediaTimeRange> out) {
      // Anchored at the wall clock: the split only decides who reads what, never what is read.
      range.splitByPeriod(Instant.now(), period, maxRanges).forEach(out::output);
    }

    @NewTracker
    public MediaTimeRangeTracker newTracker(@Restriction MediaTimeRange range) {
      return new MediaTimeRangeTracker(range);
    }

    @GetRestrictionCoder
    public Coder<MediaTimeRange> restrictionCoder() {
      return SerializableCoder.of(MediaTimeRange.class);
    }

    /**
     * Reads the range page by page. An item Meta lists again on the next page (its paging shifts
     * when a post is published during the read) is left out: the same id can only come back on the
     * page right after, because within one range the edge moves on from the cursor, and ranges
     * never share an item (each item belongs to the range of its own second, {@link
     * MediaTimeRange#covers}), so remembering the page before is enough.
     */
    @ProcessElement
    public ProcessContinuation process(
        @Element Account account,
        RestrictionTracker<MediaTimeRange, PageClaim> tracker,
        OutputReceiver<List<String>> out) {
      // The runner wraps the tracker: only the RestrictionTracker interface is used, never the
      // concrete class.
      MediaTimeRange range = tracker.currentRestriction();
      EdgePages pages = client.pages(pageRequest(kind, fields, account, range));
      Long lastSecond = null;
      Set<String> pageBefore = Set.of();
      while (pages.hasNext()) {
        List<ObjectNode> items = new ArrayList<>();
        List<MediaPosition> positions = new ArrayList<>();
        Set<String> thisPage = new HashSet<>();
        for (JsonNode node : pages.next()) {
          ObjectNode item = (ObjectNode) node;
          String id = RecordShape.idOf(item);
          Long second = id == null ? null : createdSecond(item);
          if (id == null) {
            skippedUnusable(kind.stream, "no-id", "has no usable id", item);
          } else if (second == null) {
            skippedUnusable(kind.stream, "unreadable-timestamp", "has no readable timestamp", item);
          } else if (thisPage.add(id) && !pageBefore.contains(id) && !range.isAbove(second, id)) {
            // else listed again, in the one-second margin of the request, or the range above's
            item.put(
                "id", id); // as the schema types it, also when Meta's answer had it as a number
            items.add(item);
            positions.add(new MediaPosition(second, id));
          }
        }
        pageBefore = thisPage;
        if (!positions.isEmpty()) {
          PageClaim claim = new PageClaim(positions);
          if (tracker.tryClaim(claim)) {
            List<String> records = new ArrayList<>(claim.claimed());
            items
                .subList(0, claim.claimed())
                .forEach(item -> records.add(shape(kind, account, item).toString()));
            out.output(records);
          }
          if (!claim.claimedAll()) {
            return ProcessContinuation.stop();
          }
          lastSecond = positions.get(positions.size() - 1).second();
        }
        if (pages.hasNext() && checkpointedAt(tracker.currentRestriction(), lastSecond)) {
          break; // the runner took the rest as a residual right after our last item: don't fetch a
          // page for nothing
        }
      }
      tracker.tryClaim(PageClaim.end());
      return ProcessContinuation.stop();
    }
  }

  /**
   * True when a checkpoint was taken right after the item at {@code lastSecond}: the primary then
   * keeps only what it has read at that second ({@code sinceOnly}), and everything below belongs to
   * the residual.
   */
  static boolean checkpointedAt(MediaTimeRange current, Long lastSecond) {
    return lastSecond != null && current.sinceOnly() != null && current.since() == lastSecond;
  }

  /**
   * The first page of {@code range}: the fields, the page size, plus the range's time bounds if it
   * has any.
   */
  static GraphRequest pageRequest(Kind kind, String fields, Account account, MediaTimeRange range) {
    String id = account.businessAccountId();
    GraphRequest request =
        GraphRequest.get(id + "/" + kind.edge, id)
            .with("fields", fields)
            .with("limit", String.valueOf(GraphFields.PAGE_SIZE));
    if (range.sinceParameter() != null) {
      request = request.with("since", range.sinceParameter());
    }
    if (range.untilParameter() != null) {
      request = request.with("until", range.untilParameter());
    }
    return request;
  }

  /**
   * An item's creation time in unix seconds ({@code timestamp} as the Graph API prints it, before
   * reshaping), or null when it has none that can be read: such an item cannot be placed in a time
   * range.
   */
  static Long createdSecond(JsonNode item) {
    String timestamp = item.path("timestamp").asText("");
    try {
      return OffsetDateTime.parse(RecordShape.rfc3339(timestamp)).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Airbyte's transformations of a media or story item, in Airbyte's order. */
  static ObjectNode shape(Kind kind, Account account, ObjectNode item) {
    ObjectNode info = item.putObject(kind.infoField);
    info.put(kind.infoIdField, item.path("id").asText());
    if (kind == Kind.MEDIA) {
      info.set("media_type", item.get("media_type"));
      info.set("media_product_type", item.get("media_product_type"));
    }
    info.put("business_account_id", account.businessAccountId());
    info.put("page_id", account.pageId());
    item.put("page_id", account.pageId());
    RecordShape.rfc3339(item, "timestamp");
    item.put("business_account_id", account.businessAccountId());
    JsonNode children = item.path("children").path("data");
    if (children.isArray()) {
      ArrayNode list = item.putArray("children");
      for (JsonNode child : children) {
        ObjectNode copy = (ObjectNode) child.deepCopy();
        RecordShape.cleanUrls(copy);
        RecordShape.rfc3339(copy, "timestamp");
        list.add(copy);
      }
    }
    RecordShape.cleanUrls(item);
    return item;
  }
}
