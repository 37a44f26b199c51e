package io.instabeam.pipeline;

import io.instabeam.graph.GraphApiClient;
import io.instabeam.pipeline.sink.RecordSink;
import io.instabeam.pipeline.sink.StreamOutput;
import io.instabeam.pipeline.state.StateFile;
import io.instabeam.pipeline.state.WriteState;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.transforms.Account;
import io.instabeam.transforms.InstagramIO;
import io.instabeam.transforms.ItemInsights;
import io.instabeam.transforms.MediaEdge;
import io.instabeam.transforms.UserInsights;
import io.instabeam.transforms.UserInsightsPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Builds the job's graph from a {@link JobConfig}, a sink and the state read at start: accounts, then every selected
 * stream, then the sink, then (when there is a state file) the new state after the sink committed. Building is
 * separate from running so tests build the same graph against the emulator and test sinks.
 */
public final class InstabeamPipeline {
  public static final String RECORDS_COUNTER_PREFIX = "records-";

  private InstabeamPipeline() {}

  /** What a built pipeline produces: the records per stream, the watermarks, and the sink's completion signal. */
  public record Outputs(Map<String, PCollection<String>> records, PCollection<KV<String, String>> watermarks,
      PCollection<?> written) {}

  public static Outputs build(Pipeline pipeline, JobConfig job, RecordSink sink, StateFile state, String runId) {
    Map<String, Instant> watermarks = state.watermarks();
    PCollection<Account> accounts = pipeline.apply("Discover accounts",
        InstagramIO.accounts(job.graph()).withAllowList(job.accounts()));
    Map<String, PCollection<String>> records = new LinkedHashMap<>();
    PCollection<KV<String, String>> newWatermarks = null;

    if (job.selects(StreamCatalog.API)) {
      records.put(StreamCatalog.API, accounts.apply("Api", InstagramIO.api()));
    }
    if (job.selects(StreamCatalog.USERS)) {
      records.put(StreamCatalog.USERS, accounts.apply("users", InstagramIO.users(job.graph())));
    }
    if (job.selects(StreamCatalog.USER_LIFETIME_INSIGHTS)) {
      records.put(StreamCatalog.USER_LIFETIME_INSIGHTS,
          accounts.apply("user_lifetime_insights",
              InstagramIO.userLifetimeInsights(job.graph()).withMetricSet(job.metricSet())));
    }
    if (job.selects(StreamCatalog.USER_INSIGHTS)) {
      // Full-refresh modes read the whole range again; the state still records how far the written data reaches.
      UserInsightsPlan plan = new UserInsightsPlan(job.now(), job.startDate(), job.lookback(),
          job.syncMode(StreamCatalog.USER_INSIGHTS).isIncremental() ? watermarks : Map.of(), job.startDateGiven());
      PCollectionTuple insights = accounts.apply("user_insights",
          InstagramIO.userInsights(job.graph(), plan).withMetricSet(job.metricSet()));
      records.put(StreamCatalog.USER_INSIGHTS, insights.get(UserInsights.RECORDS));
      newWatermarks = insights.get(UserInsights.WATERMARKS);
    }
    readItems(records, job, accounts, StreamCatalog.MEDIA,
        InstagramIO.media(job.graph()).withMetricSet(job.metricSet()),
        StreamCatalog.MEDIA_INSIGHTS, InstagramIO.mediaInsights(job.graph()).withMetricSet(job.metricSet()));
    readItems(records, job, accounts, StreamCatalog.STORIES,
        InstagramIO.stories(job.graph()).withMetricSet(job.metricSet()),
        StreamCatalog.STORY_INSIGHTS, InstagramIO.storyInsights(job.graph()).withMetricSet(job.metricSet()));

    List<StreamOutput> outputs = new ArrayList<>();
    for (StreamDefinition stream : job.streams()) {
      PCollection<String> counted = records.get(stream.name())
          .apply("Count " + stream.name() + " records", ParDo.of(new CountRecords(stream.name())));
      outputs.add(new StreamOutput(stream, job.syncMode(stream.name()), counted));
    }
    PCollection<?> written = sink.write(outputs);
    if (job.statePath() != null && newWatermarks != null) {
      newWatermarks.apply("Advance the state after the sink committed",
          new WriteState(state, job.statePath(), runId, written));
    }
    return new Outputs(records, newWatermarks, written);
  }

  /**
   * Puts the selected ones of an edge's items and their insights into {@code records}. When both are selected, the
   * items flow on through the insights step ({@link ItemInsights#withItems()}) rather than branching off before it,
   * so that batch runners fetch insights while the edge is still being read.
   */
  private static void readItems(Map<String, PCollection<String>> records, JobConfig job,
      PCollection<Account> accounts, String itemStream, MediaEdge edge, String insightsStream, ItemInsights insights) {
    if (!job.selects(itemStream) && !job.selects(insightsStream)) {
      return;
    }
    PCollection<String> items = accounts.apply(itemStream, edge);
    if (job.selects(insightsStream)) {
      PCollectionTuple both = items.apply(insightsStream, insights.withItems());
      items = both.get(ItemInsights.ITEMS);
      records.put(insightsStream, both.get(ItemInsights.INSIGHTS));
    }
    if (job.selects(itemStream)) {
      records.put(itemStream, items);
    }
  }

  /** Counts a stream's records under {@code records-<stream>}, for the run summary. */
  static final class CountRecords extends DoFn<String, String> {
    private final Counter counter;

    CountRecords(String stream) {
      this.counter = Metrics.counter(GraphApiClient.METRICS_NAMESPACE, RECORDS_COUNTER_PREFIX + stream);
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<String> out) {
      counter.inc();
      out.output(record);
    }
  }
}
