package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.emulator.IgUser;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;

/**
 * The splittable media read against the emulator: whatever the split, the records of a plain cursor
 * read.
 */
public class MediaEdgeTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static GraphApiEmulator emulator;
  static GraphApiConfig config;
  static List<Account> accounts = new ArrayList<>();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @BeforeClass
  public static void startEmulator() {
    emulator =
        GraphApiEmulator.builder()
            .seed(11)
            .accessToken("t")
            .accounts(2)
            .mediaPerAccount(230)
            .storiesPerAccount(4)
            .now(NOW)
            .build()
            .start();
    config = GraphApiConfig.of(emulator.baseUrl(), "v23.0", AccessToken.of("t"));
    for (IgUser user : emulator.dataset().users()) {
      accounts.add(new Account(user.pageId(), user.id()));
    }
  }

  @AfterClass
  public static void stopEmulator() {
    emulator.close();
  }

  /**
   * What the edge gives without any time range: every page by cursor, each item in Airbyte's shape.
   */
  static List<String> plainRead(MediaEdge.Kind kind) {
    GraphApiClient client = new GraphApiClient(config);
    List<String> records = new ArrayList<>();
    for (Account account : accounts) {
      String fields = MetricCatalog.Selection.of(MetricSet.AIRBYTE, config).fields(kind.fields);
      GraphRequest first = MediaEdge.pageRequest(kind, fields, account, MediaTimeRange.all());
      for (GraphRequest request = first; request != null; ) {
        JsonNode page = client.get(request);
        page.path("data")
            .forEach(
                item -> records.add(MediaEdge.shape(kind, account, (ObjectNode) item).toString()));
        request = first.nextPage(page);
      }
    }
    return records;
  }

  @Test
  public void manySmallRangesReadTheSameRecordsAsOnePlainRead() {
    List<String> expected = plainRead(MediaEdge.Kind.MEDIA);
    PCollection<String> media =
        pipeline
            .apply(Create.of(accounts))
            .apply(InstagramIO.media(config).withInitialSplit(Duration.ofDays(45), 40));
    PAssert.that(media).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void anAccountIsReadAsSeveralTimeRanges() {
    emulator.resetStats();
    pipeline
        .apply(Create.of(accounts))
        .apply(InstagramIO.media(config).withInitialSplit(Duration.ofDays(365), 5));
    pipeline.run().waitUntilFinish();
    long ranged =
        emulator.requests().stream()
            .filter(
                r ->
                    r.path().endsWith("/media")
                        && r.params().containsKey("since")
                        && !r.params().containsKey("after"))
            .count();
    org.junit.Assert.assertTrue(
        "first pages of ranges with a since: " + ranged, ranged >= 2 * accounts.size());
  }

  @Test
  public void storiesAreReadAsOneRangeWithTheSameRecords() {
    List<String> expected = plainRead(MediaEdge.Kind.STORIES);
    PCollection<String> stories =
        pipeline.apply(Create.of(accounts)).apply(InstagramIO.stories(config));
    PAssert.that(stories).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }
}
