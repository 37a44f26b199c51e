package io.instabeam.pipeline.sink;

import io.instabeam.schemas.StreamDefinition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;
import org.apache.parquet.format.Util;

/**
 * A file format of the files sink: how records are written, and how published ones are read back
 * (for dedup).
 */
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
    public boolean holdsRecords(MatchResult.Metadata file) {
      return file.sizeBytes() > 0; // a JSONL file that is not empty holds at least one line
    }

    @Override
    public PCollection<String> existingRecords(Pipeline pipeline, String streamDir) {
      return pipeline.apply(
          "Read published " + streamDir,
          TextIO.read()
              .from(streamDir + "*" + suffix())
              .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW));
    }
  },

  PARQUET(".parquet") {
    @Override
    public FileIO.Sink<String> sink(StreamDefinition stream) {
      return new ParquetJsonSink(stream);
    }

    @Override
    public PCollection<String> existingRecords(Pipeline pipeline, String streamDir) {
      // Reading Parquet back needs Hadoop's readers, which the bundled jar leaves out (see
      // supportsDedup).
      throw new UnsupportedOperationException(
          "incremental_append_deduped is not available for Parquet files");
    }

    @Override
    public boolean supportsDedup() {
      return false;
    }

    /**
     * Reads the row count from the file's footer (Parquet's Thrift metadata), without Hadoop's
     * readers.
     */
    @Override
    public boolean holdsRecords(MatchResult.Metadata file) throws IOException {
      try (SeekableByteChannel channel =
          (SeekableByteChannel) FileSystems.open(file.resourceId())) {
        long size = channel.size();
        ByteBuffer tail =
            read(channel, size - FOOTER_TAIL, FOOTER_TAIL).order(ByteOrder.LITTLE_ENDIAN);
        int footerLength = tail.getInt(0);
        if (size < FOOTER_TAIL + footerLength || tail.get(4) != 'P' || tail.get(7) != '1') {
          throw new IOException(file.resourceId() + " is not a Parquet file");
        }
        ByteBuffer footer = read(channel, size - FOOTER_TAIL - footerLength, footerLength);
        return Util.readFileMetaData(new ByteArrayInputStream(footer.array())).getNum_rows() > 0;
      }
    }
  };

  /** A Parquet file ends with its footer's length (4 bytes, little-endian) and the magic "PAR1". */
  private static final int FOOTER_TAIL = 8;

  private static ByteBuffer read(SeekableByteChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    channel.position(Math.max(0, position));
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // a channel may return fewer bytes than asked
    }
    return buffer.flip();
  }

  private final String suffix;

  FileFormat(String suffix) {
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  public abstract FileIO.Sink<String> sink(StreamDefinition stream);

  /**
   * Whether published files can be read back to merge them with a run's records
   * (incremental_append_deduped).
   */
  public boolean supportsDedup() {
    return true;
  }

  /**
   * Whether files of this format joined byte by byte make one valid file (JSONL lines do; Parquet
   * files do not).
   */
  public boolean joinsByConcatenation() {
    return false;
  }

  /** Whether the file holds at least one record. */
  public abstract boolean holdsRecords(MatchResult.Metadata file) throws IOException;

  /** The records already published in {@code streamDir} (none when it does not exist yet). */
  public abstract PCollection<String> existingRecords(Pipeline pipeline, String streamDir);

  public static FileFormat fromOption(String format) {
    return valueOf(format.toUpperCase(java.util.Locale.ROOT));
  }
}
