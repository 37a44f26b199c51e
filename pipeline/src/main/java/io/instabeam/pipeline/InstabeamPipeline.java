package io.instabeam.pipeline;

import io.instabeam.graph.GraphApiClient;
import io.instabeam.pipeline.sink.RecordSink;
import io.instabeam.pipeline.sink.StreamOutput;
import io.instabeam.pipeline.state.StateFile;
import io.instabeam.pipeline.state.WriteState;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.transforms.Account;
import io.instabeam.transforms.InstagramIO;
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

/**
 * Builds the job's graph from a {@link JobConfig}, a sink and the state read at start: accounts,
 * then every selected stream, then the sink, then (when there is a state file) the new state after
 * the sink committed. Building is separate from running so tests build the same graph against the
 * emulator and test sinks.
 */
public final class InstabeamPipeline {
  public static final String RECORDS_COUNTER_PREFIX = "records-";

  private InstabeamPipeline() {}

  /**
   * What a built pipeline produces: the records per stream, the new cursors per incremental stream,
   * and the sink's completion signal.
   */
  public record Outputs(
      Map<String, PCollection<String>> records,
      Map<String, PCollection<KV<String, String>>> watermarks,
      PCollection<?> written) {}

  public static Outputs build(
      Pipeline pipeline, JobConfig job, RecordSink sink, StateFile state, String runId) {
    PCollection<Account> accounts =
        pipeline.apply(
            "Discover accounts",
            InstagramIO.accounts(job.graph())
                .withAllowList(job.accounts())
                .withBusiness(job.businessId()));
    Streams.Reading reading = new Streams.Reading(accounts, job, state);
    Map<String, PCollection<String>> records = new LinkedHashMap<>();
    List<StreamOutput> outputs = new ArrayList<>();
    for (StreamDefinition stream : job.streams()) {
      PCollection<String> read = Streams.get(stream.name()).read().records(reading);
      records.put(stream.name(), read);
      PCollection<String> counted =
          read.apply(
              "Count " + stream.name() + " records", ParDo.of(new CountRecords(stream.name())));
      outputs.add(new StreamOutput(stream, job.syncMode(stream.name()), counted));
    }
    PCollection<?> written = sink.write(outputs);
    if (job.statePath() != null && !reading.watermarks().isEmpty()) {
      pipeline.apply(
          "Advance the state after the sink committed",
          new WriteState(
              state, job.statePath(), runId, written, reading.watermarks(), reading.engagement()));
    }
    return new Outputs(records, reading.watermarks(), written);
  }

  /** Counts a stream's records under {@code records-<stream>}, for the run summary. */
  static final class CountRecords extends DoFn<String, String> {
    private final Counter counter;

    CountRecords(String stream) {
      this.counter =
          Metrics.counter(GraphApiClient.METRICS_NAMESPACE, RECORDS_COUNTER_PREFIX + stream);
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<String> out) {
      counter.inc();
      out.output(record);
    }
  }
}
