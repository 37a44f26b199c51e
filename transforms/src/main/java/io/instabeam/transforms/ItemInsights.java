package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.ErrorPolicy.SkipRule;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code media_insights} and {@code story_insights} streams: each item's lifetime insights,
 * flattened to one key per metric. Items are grouped by account into Graph API batch requests of up
 * to 50 as they arrive, and up to {@code maxRequestsInFlight} batch requests are in flight at once,
 * each account's bounded by its rate budget's concurrency ({@code maxConcurrentPerAccount}).
 *
 * <p>Batches are filled within a bundle, not through a grouping: a grouping (GroupIntoBatches) is a
 * barrier on batch runners (Flink sorts the whole input first), so no insights request could start
 * before the last media page was read. Filled in the bundle, insights requests run while the media
 * edge is still being read; a production runner's bundles hold thousands of items (Flink's batch
 * bundle is a whole partition), so batches are full but for one per account and bundle. Buffering
 * is bounded: at most 49 items per account wait for a batch.
 *
 * <p>Where the items are also written, use {@link #withItems()}: the items then flow on through
 * this step instead of branching off before it, so a batch runner runs it in the same pipelined
 * chain as the read (Flink's batch optimizer puts a blocking exchange on one side of a branch that
 * joins again later, which made insights wait for the whole media edge).
 *
 * <p>The metrics come from {@link MetricCatalog} per the item's kind ({@code VIDEO/FEED}) and
 * metric set; a metric Meta refuses or leaves out for a kind is dropped for it for the rest of the
 * run ({@link DroppedMetrics}), and the item is asked again without it.
 */
public final class ItemInsights extends PTransform<PCollection<String>, PCollection<String>> {
  /** The insights records, in the output of {@link #withItems()}. */
  public static final TupleTag<String> INSIGHTS = new TupleTag<>() {};

  /** The input items, unchanged, in the output of {@link #withItems()}. */
  public static final TupleTag<String> ITEMS = new TupleTag<>() {};

  /** Which items: their stream, where their partition object is, and which errors skip an item. */
  public enum Kind {
    MEDIA(StreamCatalog.MEDIA_INSIGHTS, "media_insights_info", "media_id", SkipRule.INSIGHTS),
    STORIES(
        StreamCatalog.STORY_INSIGHTS, "story_insights_info", "story_id", SkipRule.STORY_INSIGHTS);

    final String stream;
    final String infoField;
    final String idField;
    final SkipRule skipRule;

    Kind(String stream, String infoField, String idField, SkipRule skipRule) {
      this.stream = stream;
      this.infoField = infoField;
      this.idField = idField;
      this.skipRule = skipRule;
    }
  }

  /**
   * One item whose insights are needed: its ids, its object kind ({@code VIDEO/FEED}) and the
   * metrics it gets.
   */
  record Item(
      String id, String businessAccountId, String pageId, String objectKind, List<String> metrics) {
    static Item of(Kind kind, MetricCatalog.Selection selection, String record) {
      JsonNode item = parse(record);
      JsonNode info = item.path(kind.infoField);
      String id =
          Objects.requireNonNullElse(RecordShape.idText(info.get(kind.idField)), ""); // "": skipped
      String account = info.path("business_account_id").asText();
      String page =
          info.hasNonNull("page_id")
              ? info.get("page_id").asText()
              : null; // none under Instagram Login
      if (kind == Kind.MEDIA) {
        String mediaType = info.path("media_type").asText();
        String productType = info.path("media_product_type").asText();
        return new Item(
            id,
            account,
            page,
            MetricCatalog.kind(mediaType, productType),
            selection.mediaInsights(mediaType, productType));
      }
      return new Item(
          id,
          account,
          page,
          MetricCatalog.kind(item.path("media_type").asText(), "STORY"),
          selection.storyInsights());
    }
  }

  private final GraphApiConfig config;
  private final Kind kind;
  private final MetricSet metricSet;
  private final String readAt;

  ItemInsights(GraphApiConfig config, Kind kind) {
    this(config, kind, MetricSet.AIRBYTE, null);
  }

  private ItemInsights(GraphApiConfig config, Kind kind, MetricSet metricSet, String readAt) {
    this.config = config;
    this.kind = kind;
    this.metricSet = metricSet;
    this.readAt = readAt;
  }

  /**
   * Requests {@code metricSet}'s metrics (default: Airbyte's, the record shapes this library has
   * always had).
   */
  public ItemInsights withMetricSet(MetricSet metricSet) {
    return new ItemInsights(config, kind, metricSet, readAt);
  }

  /**
   * Stamps each record with {@code insights_read_at}: when its values were read (the run's time),
   * so that a table whose older items' insights are read in a rotation says how fresh each one is.
   * Without it records have no such field (Airbyte's shape).
   */
  public ItemInsights withReadAt(Instant runTime) {
    return new ItemInsights(config, kind, metricSet, RecordShape.rfc3339(runTime));
  }

  @Override
  public PCollection<String> expand(PCollection<String> items) {
    return fetch(items, false).get(INSIGHTS);
  }

  /**
   * The same insights ({@link #INSIGHTS}), with the input items passed through ({@link #ITEMS}).
   */
  public PTransform<PCollection<String>, PCollectionTuple> withItems() {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PCollection<String> items) {
        return fetch(items, true);
      }
    };
  }

  private PCollectionTuple fetch(PCollection<String> items, boolean passItems) {
    MetricCatalog.Selection selection = MetricCatalog.Selection.of(metricSet, config);
    return items.apply(
        "Fetch insights in batches",
        ParDo.of(
                new FetchInsightsInBatches(
                    config, kind, selection, new DroppedMetrics(kind.stream), passItems, readAt))
            .withOutputTags(INSIGHTS, TupleTagList.of(ITEMS)));
  }

  /**
   * Fills one batch per account with the bundle's items and sends each full batch as one Graph API
   * batch request, the partial ones when the bundle ends. Up to {@code maxRequestsInFlight}
   * requests are in flight at once (see {@link InFlight}); a batch's records are output as soon as
   * it and every older batch are done. Records are output in the global window, where this batch
   * job works; their timestamps carry no meaning. With {@code passItems}, each input item is output
   * to {@link #ITEMS} as well.
   */
  static final class FetchInsightsInBatches extends GraphDoFn<String, String> {
    private final Kind kind;
    private final MetricCatalog.Selection selection;
    private final DroppedMetrics dropped;
    private final boolean passItems;
    private final String readAt;
    private transient Map<String, List<Item>> filling;
    private transient InFlight<List<Item>, List<DroppedMetrics.Answer>> inFlight;

    FetchInsightsInBatches(
        GraphApiConfig config,
        Kind kind,
        MetricCatalog.Selection selection,
        DroppedMetrics dropped,
        boolean passItems,
        String readAt) {
      super(config);
      this.kind = kind;
      this.selection = selection;
      this.dropped = dropped;
      this.passItems = passItems;
      this.readAt = readAt;
    }

    @StartBundle
    public void startBundle() {
      filling = new LinkedHashMap<>();
      inFlight =
          new InFlight<>(
              config.run(),
              config.maxRequestsInFlight(),
              config.maxConcurrentPerAccount(),
              batch -> batch.get(0).businessAccountId());
    }

    @ProcessElement
    public void process(@Element String record, MultiOutputReceiver receiver) {
      OutputReceiver<String> out = receiver.get(INSIGHTS);
      if (passItems) {
        receiver.get(ITEMS).output(record);
      }
      Item item = Item.of(kind, selection, record);
      if (item.id().isBlank()) {
        // Never an insights request for the object "null" (or for the batch endpoint itself).
        skippedUnusable(kind.stream, "no-id", "has no id to ask insights for", parse(record));
        return;
      }
      List<Item> batch =
          filling.computeIfAbsent(item.businessAccountId(), account -> new ArrayList<>());
      batch.add(item);
      if (batch.size() == GraphApiClient.MAX_BATCH_SIZE) {
        filling.remove(item.businessAccountId());
        send(batch, out::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      Consumer<String> out =
          record ->
              context.output(record, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      filling.values().forEach(batch -> send(batch, out));
      filling.clear();
      inFlight.drain((items, responses) -> emit(items, responses, out));
    }

    @Teardown
    public void tearDown() {
      if (inFlight != null) {
        inFlight.cancel();
      }
    }

    private void send(List<Item> items, Consumer<String> out) {
      List<DroppedMetrics.Ask> asks =
          items.stream()
              .map(
                  item ->
                      DroppedMetrics.Ask.of(
                          item.objectKind(),
                          GraphRequest.get(item.id() + "/insights", item.businessAccountId())
                              .with("metric", String.join(",", item.metrics()))))
              .toList();
      inFlight.submit(
          items, () -> dropped.send(client, asks), (done, answers) -> emit(done, answers, out));
    }

    private void emit(List<Item> items, List<DroppedMetrics.Answer> answers, Consumer<String> out) {
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        DroppedMetrics.Answer answer = answers.get(i);
        GraphResponse response = answer.response();
        if (response == null) {
          skipped(
              kind.stream,
              "every-metric-refused",
              item.id(),
              GraphApiError.transport(
                  0, "Meta refused every metric requested for " + item.objectKind()));
          continue;
        }
        if (!response.isOk()) {
          Optional<String> skip = kind.skipRule.skipKind(response.error());
          if (skip.isPresent()) {
            skipped(kind.stream, skip.get(), item.id(), response.error());
            continue;
          }
        }
        ObjectNode body = (ObjectNode) response.bodyOrThrow();
        if (hasData(body)) { // an empty answer has no metric at all: nothing was dropped from it
          List<String> without = new ArrayList<>(answer.dropped());
          without.addAll(leftOut(item, answer.asked(), body));
          without.forEach(metric -> DroppedMetrics.countRecordWithout(metric, item.objectKind()));
        }
        ObjectNode record = record(item, body);
        if (readAt != null) {
          record.put("insights_read_at", readAt);
        }
        out.accept(record.toString());
      }
    }

    /**
     * The asked metrics a non-empty answer lacks: Meta left them out for this kind, so they are
     * dropped for it too.
     */
    private List<String> leftOut(Item item, List<String> asked, ObjectNode body) {
      Set<String> answered = new HashSet<>();
      body.path("data").forEach(metric -> answered.add(metric.path("name").asText()));
      List<String> missing = asked.stream().filter(m -> !answered.contains(m)).toList();
      missing.forEach(
          m ->
              dropped.drop(
                  item.objectKind(), m, "left out of Meta's answer for item " + item.id()));
      return missing;
    }

    /**
     * Meta answers an empty data set when it has no insights for an item (e.g. older than two
     * years).
     */
    private static boolean hasData(ObjectNode body) {
      return body.path("data").isArray() && !body.path("data").isEmpty();
    }

    static ObjectNode record(Item item, ObjectNode body) {
      ObjectNode record = RecordShape.flattenInsights(body);
      record.put("id", item.id());
      record.put("page_id", item.pageId());
      record.put("business_account_id", item.businessAccountId());
      return record;
    }
  }

  static JsonNode parse(String json) {
    try {
      return GraphDoFn.JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON record: " + json, e);
    }
  }
}
