package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.ErrorPolicy.SkipRule;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code media_insights} and {@code story_insights} streams: each item's lifetime insights, flattened to one key
 * per metric. Items are grouped by account into Graph API batch requests of up to 50 as they arrive, and up to
 * {@code maxRequestsInFlight} batch requests are in flight at once, each account's bounded by its rate budget's
 * concurrency ({@code maxConcurrentPerAccount}).
 *
 * <p>Batches are filled within a bundle, not through a grouping: a grouping (GroupIntoBatches) is a barrier on
 * batch runners (Flink sorts the whole input first), so no insights request could start before the last media
 * page was read. Filled in the bundle, insights requests run while the media edge is still being read; a production
 * runner's bundles hold thousands of items (Flink's batch bundle is a whole partition), so batches are full but for
 * one per account and bundle. Buffering is bounded: at most 49 items per account wait for a batch.
 *
 * <p>Where the items are also written, use {@link #withItems()}: the items then flow on through this step instead of
 * branching off before it, so a batch runner runs it in the same pipelined chain as the read (Flink's batch optimizer
 * puts a blocking exchange on one side of a branch that joins again later, which made insights wait for the whole
 * media edge).
 */
public final class ItemInsights extends PTransform<PCollection<String>, PCollection<String>> {
  /** The insights records, in the output of {@link #withItems()}. */
  public static final TupleTag<String> INSIGHTS = new TupleTag<>() {};
  /** The input items, unchanged, in the output of {@link #withItems()}. */
  public static final TupleTag<String> ITEMS = new TupleTag<>() {};

  /** Which items: where their partition object is, which metrics they get, and which errors skip an item. */
  public enum Kind {
    MEDIA(StreamCatalog.MEDIA_INSIGHTS, "media_insights_info", "media_id", SkipRule.INSIGHTS),
    STORIES(StreamCatalog.STORY_INSIGHTS, "story_insights_info", "story_id", SkipRule.STORY_INSIGHTS);

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

    String metrics(JsonNode info) {
      return this == MEDIA
          ? GraphFields.mediaInsightsMetrics(info.path("media_type").asText(), info.path("media_product_type").asText())
          : GraphFields.STORY_INSIGHTS_METRICS;
    }
  }

  /** One item whose insights are needed. */
  record Item(String id, String businessAccountId, String pageId, String metrics) {
    static Item of(Kind kind, String record) {
      JsonNode info = parse(record).path(kind.infoField);
      String id = RecordShape.idText(info.get(kind.idField));
      return new Item(id == null ? "" : id, info.path("business_account_id").asText(),
          info.path("page_id").asText(), kind.metrics(info));
    }
  }

  private final GraphApiConfig config;
  private final Kind kind;

  ItemInsights(GraphApiConfig config, Kind kind) {
    this.config = config;
    this.kind = kind;
  }

  @Override
  public PCollection<String> expand(PCollection<String> items) {
    return fetch(items, false).get(INSIGHTS);
  }

  /** The same insights ({@link #INSIGHTS}), with the input items passed through ({@link #ITEMS}). */
  public PTransform<PCollection<String>, PCollectionTuple> withItems() {
    return new PTransform<>() {
      @Override
      public PCollectionTuple expand(PCollection<String> items) {
        return fetch(items, true);
      }
    };
  }

  private PCollectionTuple fetch(PCollection<String> items, boolean passItems) {
    return items.apply("Fetch insights in batches", ParDo.of(new FetchInsightsInBatches(config, kind, passItems))
        .withOutputTags(INSIGHTS, TupleTagList.of(ITEMS)));
  }

  /**
   * Fills one batch per account with the bundle's items and sends each full batch as one Graph API batch request,
   * the partial ones when the bundle ends. Up to {@code maxRequestsInFlight} requests are in flight at once (see
   * {@link InFlight}); a batch's records are output as soon as it and every older batch are done. Records are output
   * in the global window, where this batch job works; their timestamps carry no meaning. With {@code passItems}, each
   * input item is output to {@link #ITEMS} as well.
   */
  static final class FetchInsightsInBatches extends GraphDoFn<String, String> {
    private final Kind kind;
    private final boolean passItems;
    private transient Map<String, List<Item>> filling;
    private transient InFlight<List<Item>, List<GraphResponse>> inFlight;

    FetchInsightsInBatches(GraphApiConfig config, Kind kind, boolean passItems) {
      super(config);
      this.kind = kind;
      this.passItems = passItems;
    }

    @StartBundle
    public void startBundle() {
      filling = new LinkedHashMap<>();
      inFlight = new InFlight<>(config.maxRequestsInFlight(), config.maxConcurrentPerAccount(),
          batch -> batch.get(0).businessAccountId());
    }

    @ProcessElement
    public void process(@Element String record, MultiOutputReceiver receiver) {
      OutputReceiver<String> out = receiver.get(INSIGHTS);
      if (passItems) {
        receiver.get(ITEMS).output(record);
      }
      Item item = Item.of(kind, record);
      if (item.id().isBlank()) {
        // Never an insights request for the object "null" (or for the batch endpoint itself).
        skippedUnusable(kind.stream, "no-id", "has no id to ask insights for", parse(record));
        return;
      }
      List<Item> batch = filling.computeIfAbsent(item.businessAccountId(), account -> new ArrayList<>());
      batch.add(item);
      if (batch.size() == GraphApiClient.MAX_BATCH_SIZE) {
        filling.remove(item.businessAccountId());
        send(batch, out::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      Consumer<String> out = record -> context.output(record, GlobalWindow.INSTANCE.maxTimestamp(),
          GlobalWindow.INSTANCE);
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
      List<GraphRequest> requests = items.stream()
          .map(item -> GraphRequest.get(item.id() + "/insights", item.businessAccountId())
              .with("metric", item.metrics()))
          .toList();
      inFlight.submit(items, () -> client.batch(requests), (done, responses) -> emit(done, responses, out));
    }

    private void emit(List<Item> items, List<GraphResponse> responses, Consumer<String> out) {
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        GraphResponse response = responses.get(i);
        if (!response.isOk()) {
          Optional<String> skip = kind.skipRule.skipKind(response.error());
          if (skip.isPresent()) {
            skipped(kind.stream, skip.get(), item.id(), response.error());
            continue;
          }
        }
        out.accept(record(item, (ObjectNode) response.bodyOrThrow()).toString());
      }
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
