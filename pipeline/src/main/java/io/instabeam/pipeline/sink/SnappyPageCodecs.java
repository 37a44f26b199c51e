package io.instabeam.pipeline.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression with snappy-java directly, so writing (and reading) Parquet needs no
 * Hadoop on the classpath: Parquet's default codec factory goes through Hadoop's {@code
 * CompressionCodec} classes, which would pull hadoop-common and its dependencies into the bundled
 * jar. Parquet's SNAPPY codec is the raw snappy block format per page, which is what {@link
 * Snappy#compress(byte[])} produces, so any standard reader opens these files.
 */
final class SnappyPageCodecs implements CompressionCodecFactory {

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    switch (codec) {
      case SNAPPY:
        return new SnappyCompressor();
      case UNCOMPRESSED:
        return new PassThrough();
      default:
        throw new UnsupportedOperationException(
            "only SNAPPY and UNCOMPRESSED pages are supported, not " + codec);
    }
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    switch (codec) {
      case SNAPPY:
        return new SnappyDecompressor();
      case UNCOMPRESSED:
        return new PassThrough();
      default:
        throw new UnsupportedOperationException(
            "only SNAPPY and UNCOMPRESSED pages are supported, not " + codec);
    }
  }

  @Override
  public void release() {}

  private static final class SnappyCompressor implements BytesInputCompressor {
    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      return BytesInput.from(Snappy.compress(bytes.toByteArray()));
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.SNAPPY;
    }

    @Override
    public void release() {}
  }

  private static final class SnappyDecompressor implements BytesInputDecompressor {
    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      byte[] out = Snappy.uncompress(bytes.toByteArray());
      if (out.length != uncompressedSize) {
        throw new IOException(
            "snappy page is " + out.length + " bytes, the page header says " + uncompressedSize);
      }
      return BytesInput.from(out);
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      byte[] compressed = new byte[compressedSize];
      input.duplicate().get(compressed);
      output.put(Snappy.uncompress(compressed), 0, uncompressedSize);
    }

    @Override
    public void release() {}
  }

  private static final class PassThrough implements BytesInputCompressor, BytesInputDecompressor {
    @Override
    public BytesInput compress(BytesInput bytes) {
      return bytes;
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.UNCOMPRESSED;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
      return bytes;
    }

    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
      ByteBuffer slice = input.duplicate();
      slice.limit(slice.position() + compressedSize);
      output.put(slice);
    }

    @Override
    public void release() {}
  }
}
