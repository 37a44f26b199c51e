package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.instabeam.schemas.StreamCatalog;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The deduped mode's first step: MERGE needs one source row per key, and the newest must be that
 * row.
 */
class KeepNewestPerKeyTest {

  @Test
  void oneRecordPerPrimaryKeyRemains() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    String a = "{\"business_account_id\":\"1\",\"date\":\"2023-06-12T07:00:00+00:00\",\"reach\":1}";
    String aAgain =
        "{\"business_account_id\":\"1\",\"date\":\"2023-06-12T07:00:00+00:00\",\"reach\":2}";
    String b = "{\"business_account_id\":\"2\",\"date\":\"2023-06-12T07:00:00+00:00\",\"reach\":3}";
    PCollection<String> kept =
        pipeline
            .apply(Create.of(a, aAgain, b, b))
            .apply(new BigQuerySink.KeepNewestPerKey(StreamCatalog.get("user_insights")));
    // Equal cursors: the greatest JSON text wins, so reruns of the same data pick the same record.
    PAssert.that(kept).containsInAnyOrder(aAgain, b);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theLaterCursorWinsWhateverTheOffsetNotation() {
    BigQuerySink.NewerRecord newer = new BigQuerySink.NewerRecord();
    KV<Long, String> earlier = stamped("{\"id\":\"z\",\"date\":\"2023-06-12T09:00:00+02:00\"}");
    KV<Long, String> later = stamped("{\"id\":\"a\",\"date\":\"2023-06-12T07:30:00+0000\"}");
    assertTrue(newer.compare(later, earlier) > 0);
    assertTrue(newer.compare(earlier, later) < 0);
  }

  @Test
  void aRecordWithoutCursorIsOlderThanOneWithIt() {
    BigQuerySink.NewerRecord newer = new BigQuerySink.NewerRecord();
    assertTrue(
        newer.compare(
                stamped("{\"id\":\"z\"}"),
                stamped("{\"id\":\"a\",\"date\":\"2020-01-01T00:00:00Z\"}"))
            < 0);
  }

  /** A record with its cursor, as the dedup step keys it. */
  private static KV<Long, String> stamped(String record) {
    try {
      return KV.of(
          BigQuerySink.KeyByPrimaryKey.cursorMicros(new ObjectMapper().readTree(record), "date"),
          record);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
