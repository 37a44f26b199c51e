package io.instabeam.pipeline.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.schemas.StreamDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Leaves exactly one record per primary key: this run's record where it has one (it is the newest,
 * also for the days the lookback re-read), completed with the fields only the published one has;
 * else the one already published.
 */
public final class DedupeByPrimaryKey extends PTransform<PCollection<String>, PCollection<String>> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Groups of keys the records are deduplicated in. */
  static final int SHARDS = 16;

  private final StreamDefinition stream;
  private final PCollection<String> published;

  public DedupeByPrimaryKey(StreamDefinition stream, PCollection<String> published) {
    this.stream = stream;
    this.published = published;
  }

  @Override
  public PCollection<String> expand(PCollection<String> fresh) {
    List<String> key = stream.primaryKey();
    PCollection<KV<String, KV<Integer, String>>> olds =
        published.apply("Key published records", ParDo.of(new KeyByPrimaryKey(key, 0)));
    PCollection<KV<String, KV<Integer, String>>> news =
        fresh.apply("Key new records", ParDo.of(new KeyByPrimaryKey(key, 1)));
    KvCoder<String, KV<Integer, String>> keyed =
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()));
    // Grouped by a shard of the key, not by the key itself: a runner may give each group a bundle
    // of its own (the
    // DirectRunner does), and a bundle per record meant a part file per record (10,000 for a
    // deduped media stream).
    return PCollectionList.of(olds)
        .and(news)
        .apply("Union old and new", Flatten.pCollections())
        .setCoder(keyed)
        .apply(
            "Spread keys over shards",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.integers(), keyed.getEncodedTypeDescriptor()))
                .via(record -> KV.of(Math.floorMod(record.getKey().hashCode(), SHARDS), record)))
        .setCoder(KvCoder.of(VarIntCoder.of(), keyed))
        .apply("Group by shard", GroupByKey.create())
        .apply("Keep the newest per key", ParDo.of(new NewestPerKey()));
  }

  /**
   * Within a shard, the newest record of each key ({@link NewestFieldsWin}), without its
   * generation.
   */
  static final class NewestPerKey
      extends DoFn<KV<Integer, Iterable<KV<String, KV<Integer, String>>>>, String> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, KV<Integer, String>>>> shard,
        OutputReceiver<String> out) {
      NewestFieldsWin newest = new NewestFieldsWin();
      Map<String, KV<Integer, String>> byKey = new HashMap<>();
      for (KV<String, KV<Integer, String>> record : shard.getValue()) {
        byKey.merge(record.getKey(), record.getValue(), newest::apply);
      }
      byKey.values().forEach(record -> out.output(record.getValue()));
    }
  }

  /**
   * The newer generation wins, field by field: a field this run did not fetch is kept from the
   * published record. A lookback re-read of a day after a long pause no longer gets follower_count
   * (kept 30 days) but still gets reach (kept 90); the day's record keeps the follower_count the
   * earlier run wrote instead of losing it. Within one generation the larger JSON text wins, so the
   * choice does not depend on the order records arrive in.
   */
  static final class NewestFieldsWin
      implements SerializableBiFunction<
          KV<Integer, String>, KV<Integer, String>, KV<Integer, String>> {
    @Override
    public KV<Integer, String> apply(KV<Integer, String> a, KV<Integer, String> b) {
      int byGeneration = Integer.compare(a.getKey(), b.getKey());
      if (byGeneration == 0) {
        return a.getValue().compareTo(b.getValue()) >= 0 ? a : b;
      }
      KV<Integer, String> older = byGeneration < 0 ? a : b;
      KV<Integer, String> newer = byGeneration < 0 ? b : a;
      ObjectNode merged = object(older.getValue());
      merged.setAll(object(newer.getValue()));
      return KV.of(newer.getKey(), merged.toString());
    }
  }

  private static ObjectNode object(String record) {
    try {
      return (ObjectNode) JSON.readTree(record);
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("a record is not a JSON object: " + record, e);
    }
  }

  static final class KeyByPrimaryKey extends DoFn<String, KV<String, KV<Integer, String>>> {
    private final List<String> key;
    private final int generation;

    KeyByPrimaryKey(List<String> key, int generation) {
      this.key = key;
      this.generation = generation;
    }

    @ProcessElement
    public void process(
        @Element String record, OutputReceiver<KV<String, KV<Integer, String>>> out) {
      JsonNode json;
      try {
        json = JSON.readTree(record);
      } catch (IOException e) {
        throw new UncheckedIOException("a published record is not JSON: " + record, e);
      }
      out.output(KV.of(keyOf(key, json), KV.of(generation, record)));
    }
  }

  /**
   * A record's primary key as one string: the JSON array of its key fields' values (so null differs
   * from "").
   */
  static String keyOf(List<String> primaryKey, JsonNode record) {
    ArrayNode values = JSON.createArrayNode();
    primaryKey.forEach(field -> values.add(record.get(field))); // a missing field adds null
    return values.toString();
  }
}
