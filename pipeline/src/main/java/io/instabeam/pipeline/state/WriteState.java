package io.instabeam.pipeline.state;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the new state once the sink has committed: the watermarks (latest date per account) are combined per key,
 * and one step, held back by {@code Wait.on} until the sink's write is complete, writes the state file atomically.
 * A run that fails before never reaches this step, so its state file stays byte-identical.
 */
public final class WriteState extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final StateFile previous;
  private final String path;
  private final String runId;
  private final PCollection<?> committed;

  public WriteState(StateFile previous, String path, String runId, PCollection<?> committed) {
    this.previous = previous;
    this.path = path;
    this.runId = runId;
    this.committed = committed;
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> watermarks) {
    // The producer sets the coder (KV<String, String>); setting it here, on an input already in use, is refused.
    PCollectionView<Map<String, String>> latest = watermarks
        .apply("Latest date per account", Combine.perKey(Combine.BinaryCombineFn.of(StateFile::later)))
        .apply("As a map", View.asMap());
    committed.getPipeline()
        .apply("Start the state write", org.apache.beam.sdk.transforms.Create.of("state"))
        .apply("Wait until the sink committed", Wait.on(committed))
        .apply("Write the state file", ParDo.of(new Write(previous, path, runId, latest)).withSideInputs(latest));
    return PDone.in(committed.getPipeline());
  }

  static final class Write extends DoFn<String, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WriteState.class);
    private final StateFile previous;
    private final String path;
    private final String runId;
    private final PCollectionView<Map<String, String>> latest;

    Write(StateFile previous, String path, String runId, PCollectionView<Map<String, String>> latest) {
      this.previous = previous;
      this.path = path;
      this.runId = runId;
      this.latest = latest;
    }

    @ProcessElement
    public void process(ProcessContext context) throws java.io.IOException {
      Map<String, String> cursors = new HashMap<>(context.sideInput(latest));
      StateFile next = previous.advancedBy(cursors);
      next.write(path, runId);
      LOG.info("Wrote state {} ({} account watermark(s))", path, next.cursors().size());
    }
  }
}
