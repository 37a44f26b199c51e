package io.instabeam.pipeline.sink;

import io.instabeam.schemas.RecordConverter;
import io.instabeam.schemas.StreamDefinition;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes one stream's JSON records as snappy-compressed Parquet through Beam {@link FileIO}: {@code
 * FileIO.<String>write().via(new ParquetJsonSink(stream)).to(dir).withSuffix(".parquet")}.
 *
 * <p>Each record is typed by the stream's schema ({@link RecordConverter}: timestamps as INT64
 * TIMESTAMP(MICROS), integers INT64, nested records as groups, arrays and key/value maps as
 * standard three-level LISTs) and written with parquet-avro. Everything goes through the channel
 * FileIO hands over, never a local file, so {@code gs://} outputs work like local ones.
 */
public final class ParquetJsonSink implements FileIO.Sink<String> {
  private static final long serialVersionUID = 1L;

  /**
   * Row groups are buffered in memory until full; FileIO may keep several writers open per worker
   * (one per stream and shard), so keep them well below Parquet's 128 MiB default while still large
   * enough for efficient scans.
   */
  static final long ROW_GROUP_BYTES = 32L * 1024 * 1024;

  private final RecordConverter converter;
  private transient ParquetWriter<GenericRecord> writer;

  public ParquetJsonSink(StreamDefinition stream) {
    this.converter = RecordConverter.of(stream);
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    // Spec-compliant three-level lists, which Spark, BigQuery, DuckDB and Arrow all read as LIST
    // columns.
    conf.set(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false");
    writer =
        withConf(builder(new ChannelOutputFile(channel)), conf)
            .withSchema(converter.avroSchema())
            .withDataModel(GenericData.get())
            .withCodecFactory(new SnappyPageCodecs())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(ROW_GROUP_BYTES)
            .build();
  }

  @Override
  public void write(String record) throws IOException {
    writer.write(converter.toAvro(record));
  }

  /** Writes the last row group and the footer; FileIO closes the channel itself afterwards. */
  @Override
  public void flush() throws IOException {
    writer.close();
    writer = null;
  }

  // Parquet overloads builder(...) and withConf(...) with Hadoop types (fs.Path,
  // conf.Configuration). javac must
  // load every overload's parameter types to choose one, so calling the Hadoop-free overloads
  // directly would need
  // Hadoop at compile time. Calling them through method handles keeps Hadoop off the classpath
  // entirely; the tests
  // run without it, so any Hadoop class the write path still needed would fail them.
  private static final MethodHandle BUILDER;
  private static final MethodHandle WITH_CONF;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      BUILDER =
          lookup.findStatic(
              AvroParquetWriter.class,
              "builder",
              MethodType.methodType(AvroParquetWriter.Builder.class, OutputFile.class));
      WITH_CONF =
          lookup.findVirtual(
              ParquetWriter.Builder.class,
              "withConf",
              MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static AvroParquetWriter.Builder<GenericRecord> builder(OutputFile file)
      throws IOException {
    try {
      return (AvroParquetWriter.Builder<GenericRecord>) BUILDER.invoke(file);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static AvroParquetWriter.Builder<GenericRecord> withConf(
      AvroParquetWriter.Builder<GenericRecord> builder, ParquetConfiguration conf)
      throws IOException {
    try {
      return (AvroParquetWriter.Builder<GenericRecord>) WITH_CONF.invoke(builder, conf);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IOException(e);
    }
  }

  /**
   * A Parquet {@link OutputFile} over a channel that FileIO opened (local, {@code gs://}, any Beam
   * file system).
   */
  static final class ChannelOutputFile implements OutputFile {
    private final WritableByteChannel channel;

    ChannelOutputFile(WritableByteChannel channel) {
      this.channel = channel;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new ChannelPositionOutputStream(channel);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return new ChannelPositionOutputStream(channel);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /**
   * Counts bytes for Parquet's offsets; closing it flushes but leaves the channel to FileIO, which
   * owns it.
   */
  static final class ChannelPositionOutputStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    ChannelPositionOutputStream(WritableByteChannel channel) {
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
