package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.instabeam.schemas.StreamCatalog;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar carries no Hadoop, so writing Parquet must not need it. The tests' classpath has
 * Hadoop (to read the files back), so this test writes from a class loader that leaves every Hadoop
 * jar out.
 */
class ParquetJsonSinkWithoutHadoopTest {

  @Test
  void writingParquetNeedsNoHadoopClasses() throws Exception {
    try (URLClassLoader withoutHadoop =
        new URLClassLoader(classpathWithoutHadoop(), ClassLoader.getPlatformClassLoader())) {
      assertThrows(
          ClassNotFoundException.class,
          () -> withoutHadoop.loadClass("org.apache.hadoop.conf.Configuration"));
      byte[] file =
          (byte[])
              withoutHadoop.loadClass(WriteMedia.class.getName()).getMethod("write").invoke(null);
      // A Parquet file starts and ends with the magic bytes PAR1.
      assertEquals("PAR1", new String(file, 0, 4, StandardCharsets.US_ASCII));
      assertEquals("PAR1", new String(file, file.length - 4, 4, StandardCharsets.US_ASCII));
    }
  }

  /** Runs inside the Hadoop-free class loader. */
  public static final class WriteMedia {
    public static byte[] write() throws Exception {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ParquetJsonSink sink = new ParquetJsonSink(StreamCatalog.get("media"));
      sink.open(Channels.newChannel(bytes));
      for (String record : SampleRecords.BY_STREAM.get("media")) {
        sink.write(record);
      }
      sink.flush();
      return bytes.toByteArray();
    }
  }

  private static URL[] classpathWithoutHadoop() throws Exception {
    // Surefire runs tests from a manifest-only jar; it publishes the real test classpath in this
    // property.
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    assertNotNull(classpath);
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.contains(File.separator + "hadoop" + File.separator)) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }
}
