package io.instabeam.pipeline.sink;

import io.instabeam.schemas.StreamDefinition;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.values.PCollection;

/** A file format of the files sink: how records are written, and how published ones are read back (for dedup). */
public enum FileFormat {
  JSONL(".jsonl") {
    @Override
    public FileIO.Sink<String> sink(StreamDefinition stream) {
      return TextIO.sink();
    }

    @Override
    public PCollection<String> existingRecords(Pipeline pipeline, String streamDir) {
      return pipeline.apply("Read published " + streamDir,
          TextIO.read().from(streamDir + "*" + suffix()).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW));
    }
  };

  private final String suffix;

  FileFormat(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  public abstract FileIO.Sink<String> sink(StreamDefinition stream);

  /** The records already published in {@code streamDir} (none when it does not exist yet). */
  public abstract PCollection<String> existingRecords(Pipeline pipeline, String streamDir);

  public static FileFormat fromOption(String format) {
    return valueOf(format.toUpperCase(java.util.Locale.ROOT));
  }
}
