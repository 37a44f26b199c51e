package io.instabeam.pipeline.sink;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/** Where a run's records go. Implementations are applied once per run, to every selected stream. */
public interface RecordSink {
  /**
   * Writes every stream's records and publishes them according to each stream's sync mode.
   *
   * @return a collection that is complete only once every stream is durably written and published; the run's state
   *     is written after it ({@code Wait.on}), so state never moves past data that is not in the sink.
   */
  PCollection<?> write(List<StreamOutput> outputs);

  /** Where the records go, for the start-up log line and the run summary (e.g. {@code ./output (jsonl)}). */
  String describe();

  /**
   * Removes what run {@code deadRunId}, which died, left unpublished (its staging), so it does not pile up. Called
   * only when that run's lock was taken over, so never for a run that is alive.
   */
  default void discardRun(String deadRunId) throws IOException {}
}
