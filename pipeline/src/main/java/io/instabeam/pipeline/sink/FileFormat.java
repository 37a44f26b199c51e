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
    public boolean joinsByConcatenation() {
      return true;
    }

    @Override
    public PCollection<String> existingRecords(Pipeline pipeline, String streamDir) {
      return pipeline.apply("Read published " + streamDir,
          TextIO.read().from(streamDir + "*" + suffix()).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW));
    }
  },

  PARQUET(".parquet") {
    @Override
    public FileIO.Sink<String> sink(StreamDefinition stream) {
      return new ParquetJsonSink(stream);
    }

    @Override
    public PCollection<String> existingRecords(Pipeline pipeline, String streamDir) {
      // Reading Parquet back needs Hadoop's readers, which the bundled jar leaves out (see supportsDedup).
      throw new UnsupportedOperationException("incremental_append_deduped is not available for Parquet files");
    }

    @Override
    public boolean supportsDedup() {
      return false;
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

  /** Whether published files can be read back to merge them with a run's records (incremental_append_deduped). */
  public boolean supportsDedup() {
    return true;
  }

  /** Whether files of this format joined byte by byte make one valid file (JSONL lines do; Parquet files do not). */
  public boolean joinsByConcatenation() {
    return false;
  }

  /** The records already published in {@code streamDir} (none when it does not exist yet). */
  public abstract PCollection<String> existingRecords(Pipeline pipeline, String streamDir);

  public static FileFormat fromOption(String format) {
    return valueOf(format.toUpperCase(java.util.Locale.ROOT));
  }
}
