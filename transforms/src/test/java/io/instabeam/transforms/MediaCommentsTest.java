package io.instabeam.transforms;

import static org.junit.Assert.assertTrue;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * Comments read with their media: threads longer than the nested page are read on from the comments
 * and replies edges, and give the records a whole nested read gives.
 */
public class MediaCommentsTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final Instant SINCE = Instant.parse("2025-06-01T00:00:00Z");
  static GraphApiEmulator emulator;
  static GraphApiConfig config;
  static List<Account> accounts = new ArrayList<>();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @BeforeClass
  public static void startEmulator() {
    emulator =
        GraphApiEmulator.builder()
            .seed(5)
            .accessToken("t")
            .accounts(1)
            .mediaPerAccount(60)
            .now(NOW)
            .build()
            .start();
    config = GraphApiConfig.of(emulator.baseUrl(), "v25.0", AccessToken.of("t"));
    for (IgUser user : emulator.dataset().users()) {
      accounts.add(new Account(user.pageId(), user.id()));
    }
  }

  @AfterClass
  public static void stopEmulator() {
    emulator.close();
  }

  /**
   * The records of a read whose nested pages hold every comment and reply (the limit Meta allows).
   */
  static List<String> wholeNestedRead() {
    Pipeline whole = Pipeline.create(PipelineOptionsFactory.create());
    List<String> records = new ArrayList<>();
    whole
        .apply(Create.of(accounts))
        .apply(InstagramIO.mediaComments(config, SINCE).withNestedPageSize(100))
        .get(MediaComments.RECORDS)
        .apply(org.apache.beam.sdk.transforms.ParDo.of(new Collect()));
    whole.run().waitUntilFinish();
    records.addAll(Collect.SEEN);
    return records;
  }

  /** Collects a pipeline's elements in this JVM (the DirectRunner runs in it). */
  static final class Collect extends org.apache.beam.sdk.transforms.DoFn<String, Void> {
    static final List<String> SEEN = java.util.Collections.synchronizedList(new ArrayList<>());

    @ProcessElement
    public void process(@Element String record) {
      SEEN.add(record);
    }
  }

  @Test
  public void threadsLongerThanTheNestedPageAreReadOnFromTheirEdges() {
    List<String> expected = wholeNestedRead();
    emulator.resetStats();
    PCollectionTuple read =
        pipeline
            .apply(Create.of(accounts))
            .apply(InstagramIO.mediaComments(config, SINCE).withNestedPageSize(2));
    PCollection<String> records = read.get(MediaComments.RECORDS);
    PAssert.that(records).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
    assertTrue(expected.size() > 100);
    assertTrue(emulator.stats().calls("media/comments") > 0);
    assertTrue(emulator.stats().calls("comment/replies") > 0);
  }
}
