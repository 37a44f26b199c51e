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
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code media_insights} and {@code story_insights} streams: each item's lifetime insights, flattened to one key
 * per metric. Requests are keyed by account shard and grouped into Graph API batch requests of up to 50, so the
 * number of shards per account bounds the calls in flight against that account's rate budget.
 */
public final class ItemInsights extends PTransform<PCollection<String>, PCollection<String>> {
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
  record Item(String id, String businessAccountId, String pageId, String metrics) {}

  /** Encodes an {@link Item} as its four strings (Java serialization would cost more than the item's request). */
  static final class ItemCoder extends AtomicCoder<Item> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(Item item, OutputStream out) throws IOException {
      for (String field : List.of(item.id(), item.businessAccountId(), item.pageId(), item.metrics())) {
        STRING.encode(field, out);
      }
    }

    @Override
    public Item decode(InputStream in) throws IOException {
      return new Item(STRING.decode(in), STRING.decode(in), STRING.decode(in), STRING.decode(in));
    }
  }

  private final GraphApiConfig config;
  private final Kind kind;
  private final int shardsPerAccount;

  ItemInsights(GraphApiConfig config, Kind kind, int shardsPerAccount) {
    this.config = config;
    this.kind = kind;
    this.shardsPerAccount = shardsPerAccount;
  }

  /** How many batches of one account may be fetched at once (default: the client's concurrency per account). */
  public ItemInsights withShardsPerAccount(int shards) {
    return new ItemInsights(config, kind, shards);
  }

  @Override
  public PCollection<String> expand(PCollection<String> items) {
    return items
        .apply("Key items by account shard", ParDo.of(new KeyByAccountShard(kind, shardsPerAccount)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), new ItemCoder()))
        // Buffering is bounded: at most one batch per key (accounts x shards) waits, whatever the number of items.
        .apply("Group into batch requests", GroupIntoBatches.ofSize(GraphApiClient.MAX_BATCH_SIZE))
        .apply("Fetch insights in batches", ParDo.of(new FetchInsightsBatch(config, kind)));
  }

  /**
   * Keys each item by {@code account/shard}. An account's items go to its shards in runs of one batch (50 items to
   * shard 0, the next 50 to shard 1, …), so shards fill whole batches in turn: an account with few items (stories)
   * needs one batch request, not one per shard, while a big account still spreads over every shard.
   */
  static final class KeyByAccountShard extends DoFn<String, KV<String, Item>> {
    private final Kind kind;
    private final int shards;
    private transient Map<String, Integer> itemsSeen;

    KeyByAccountShard(Kind kind, int shards) {
      this.kind = kind;
      this.shards = Math.max(1, shards);
    }

    @Setup
    public void setUp() {
      itemsSeen = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<KV<String, Item>> out) {
      JsonNode info = parse(record).path(kind.infoField);
      Item item = new Item(info.path(kind.idField).asText(), info.path("business_account_id").asText(),
          info.path("page_id").asText(), kind.metrics(info));
      int seen = itemsSeen.merge(item.businessAccountId(), 1, Integer::sum) - 1;
      int shard = (seen / GraphApiClient.MAX_BATCH_SIZE) % shards;
      out.output(KV.of(item.businessAccountId() + "/" + shard, item));
    }
  }

  /**
   * Sends each batch as one Graph API batch request. Up to {@code maxRequestsInFlight} requests are in flight at
   * once (see {@link InFlight}); the records of a batch are output as soon as it and every older batch are done.
   * Records are output in the global window, where this batch job works; their timestamps carry no meaning.
   */
  static final class FetchInsightsBatch extends GraphDoFn<KV<String, Iterable<Item>>, String> {
    private final Kind kind;
    private transient InFlight<List<Item>, List<GraphResponse>> inFlight;

    FetchInsightsBatch(GraphApiConfig config, Kind kind) {
      super(config);
      this.kind = kind;
    }

    @StartBundle
    public void startBundle() {
      inFlight = new InFlight<>(config.maxRequestsInFlight());
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Item>> batch, OutputReceiver<String> out) {
      List<Item> items = new ArrayList<>();
      batch.getValue().forEach(items::add);
      List<GraphRequest> requests = items.stream()
          .map(item -> GraphRequest.get(item.id() + "/insights", item.businessAccountId())
              .with("metric", item.metrics()))
          .toList();
      inFlight.submit(items, () -> client.batch(requests), (done, responses) -> emit(done, responses, out::output));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      inFlight.drain((done, responses) -> emit(done, responses,
          record -> context.output(record, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE)));
    }

    @Teardown
    public void tearDown() {
      if (inFlight != null) {
        inFlight.cancel();
      }
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
