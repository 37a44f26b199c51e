package io.instabeam.pipeline.sink;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/** Where a run's records go. Implementations are applied once per run, to every selected stream. */
public interface RecordSink {
  /**
   * Writes every stream's records and publishes them according to each stream's sync mode.
   *
   * @return a collection that is complete only once every stream is durably written and published;
   *     the run's state is written after it ({@code Wait.on}), so state never moves past data that
   *     is not in the sink.
   */
  PCollection<?> write(List<StreamOutput> outputs);

  /**
   * Where the records go, for the start-up log line and the run summary (e.g. {@code ./output
   * (jsonl)}).
   */
  String describe();

  /**
   * Removes what runs that died left unpublished (their staging), so it does not pile up. Called
   * while this run holds the output's lock and before it writes anything: no other run can be using
   * the output then.
   */
  default void removeLeftovers() throws IOException {}
}
