package io.instabeam.pipeline.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the new state once the sink has committed: each incremental stream's watermarks (latest
 * cursor per account) are combined per key, and one step, held back by {@code Wait.on} until the
 * sink's write is complete, writes the state file atomically. A run that fails before never reaches
 * this step, so its state file stays byte-identical.
 */
public final class WriteState extends PTransform<PBegin, PDone> {
  private final StateFile previous;
  private final String path;
  private final String runId;
  private final PCollection<?> committed;
  private final Map<String, PCollection<KV<String, String>>> watermarks;
  private final Map<String, PCollection<KV<String, String>>> engagement;

  /**
   * {@code watermarks}: per incremental stream read, its new cursors as (business account id,
   * cursor); {@code engagement}: per stream that keeps it, its items' engagement as (business
   * account id, {@code id=likes,comments} entries joined by {@code ;}).
   */
  public WriteState(
      StateFile previous,
      String path,
      String runId,
      PCollection<?> committed,
      Map<String, PCollection<KV<String, String>>> watermarks,
      Map<String, PCollection<KV<String, String>>> engagement) {
    this.previous = previous;
    this.path = path;
    this.runId = runId;
    this.committed = committed;
    this.watermarks = watermarks;
    this.engagement = engagement;
  }

  @Override
  public PDone expand(PBegin begin) {
    // The producers set the coder (KV<String, String>); setting it here, on an input already in
    // use, is refused.
    Map<String, PCollectionView<Map<String, String>>> latest = new TreeMap<>();
    watermarks.forEach(
        (stream, cursors) ->
            latest.put(
                stream,
                cursors
                    .apply(
                        "Latest " + stream + " cursor per account",
                        Combine.perKey(Combine.BinaryCombineFn.of(StateFile::later)))
                    .apply(stream + " cursors as a map", View.asMap())));
    Map<String, PCollectionView<Map<String, Iterable<String>>>> read = new TreeMap<>();
    engagement.forEach(
        (stream, items) ->
            read.put(stream, items.apply(stream + " engagement per account", View.asMultimap())));
    List<PCollectionView<?>> sideInputs = new ArrayList<>(latest.values());
    sideInputs.addAll(read.values());
    begin
        .apply("Start the state write", Create.of("state"))
        .apply("Wait until the sink committed", Wait.on(committed))
        .apply(
            "Write the state file",
            ParDo.of(new Write(previous, path, runId, latest, read)).withSideInputs(sideInputs));
    return PDone.in(begin.getPipeline());
  }

  static final class Write extends DoFn<String, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteState.class);
    private final StateFile previous;
    private final String path;
    private final String runId;
    private final Map<String, PCollectionView<Map<String, String>>> latest;
    private final Map<String, PCollectionView<Map<String, Iterable<String>>>> engagement;

    Write(
        StateFile previous,
        String path,
        String runId,
        Map<String, PCollectionView<Map<String, String>>> latest,
        Map<String, PCollectionView<Map<String, Iterable<String>>>> engagement) {
      this.previous = previous;
      this.path = path;
      this.runId = runId;
      this.latest = latest;
      this.engagement = engagement;
    }

    @ProcessElement
    public void process(ProcessContext context) throws java.io.IOException {
      StateFile next = previous;
      for (Map.Entry<String, PCollectionView<Map<String, String>>> stream : latest.entrySet()) {
        next = next.advancedBy(stream.getKey(), context.sideInput(stream.getValue()));
      }
      for (Map.Entry<String, PCollectionView<Map<String, Iterable<String>>>> stream :
          engagement.entrySet()) {
        next = next.remembering(stream.getKey(), context.sideInput(stream.getValue()));
      }
      next.write(path, runId);
      LOG.info("Wrote state {} (watermarks of {})", path, String.join(", ", latest.keySet()));
    }
  }
}
