package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.schemas.RecordConverter;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes every stream through a real Beam pipeline with FileIO and reads the files back with
 * Parquet's readers.
 */
class ParquetJsonSinkTest {
  @TempDir static Path output;

  @BeforeAll
  static void writeEveryStreamToParquet() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    for (StreamDefinition stream : StreamCatalog.all()) {
      pipeline
          .apply(
              "Create " + stream.name() + " records",
              Create.of(SampleRecords.BY_STREAM.get(stream.name())))
          .apply(
              "Write " + stream.name() + " as Parquet",
              FileIO.<String>write()
                  .via(new ParquetJsonSink(stream))
                  .to(output.resolve(stream.name()).toString())
                  .withSuffix(".parquet"));
    }
    pipeline.run().waitUntilFinish();
  }

  @Test
  void everyStreamHasParquetFilesWithAsManyRowsAsRecords() throws IOException {
    for (StreamDefinition stream : StreamCatalog.all()) {
      List<GenericRecord> rows = readAll(stream.name());
      assertEquals(SampleRecords.BY_STREAM.get(stream.name()).size(), rows.size(), stream.name());
    }
  }

  @Test
  void everyRowEqualsTheTypedInputRecord() throws IOException {
    for (StreamDefinition stream : StreamCatalog.all()) {
      RecordConverter converter = RecordConverter.of(stream);
      List<String> expected =
          SampleRecords.BY_STREAM.get(stream.name()).stream()
              .map(json -> converter.toAvro(json).toString())
              .sorted()
              .collect(Collectors.toList());
      List<String> actual =
          readAll(stream.name()).stream()
              .map(GenericRecord::toString)
              .sorted()
              .collect(Collectors.toList());
      assertEquals(expected, actual, stream.name());
    }
  }

  @Test
  void pagesAreSnappyCompressed() throws IOException {
    for (Path file : files("media")) {
      try (ParquetFileReader reader = open(file)) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            assertEquals(
                CompressionCodecName.SNAPPY, column.getCodec(), column.getPath().toString());
          }
        }
      }
    }
  }

  @Test
  void timestampsAreInt64WithTimestampMicrosInUtc() throws IOException {
    MessageType schema = fileSchema("user_insights");
    PrimitiveType date = schema.getType("date").asPrimitiveType();
    assertEquals(PrimitiveTypeName.INT64, date.getPrimitiveTypeName());
    assertEquals(
        LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS),
        date.getLogicalTypeAnnotation());
  }

  @Test
  void countsAreInt64AndWatchTimesDouble() throws IOException {
    MessageType schema = fileSchema("media_insights");
    assertEquals(
        PrimitiveTypeName.INT64, schema.getType("reach").asPrimitiveType().getPrimitiveTypeName());
    assertEquals(
        PrimitiveTypeName.DOUBLE,
        schema.getType("ig_reels_avg_watch_time").asPrimitiveType().getPrimitiveTypeName());
    assertEquals(
        LogicalTypeAnnotation.stringType(),
        schema.getType("id").asPrimitiveType().getLogicalTypeAnnotation());
  }

  @Test
  void childrenAreAStandardListOfGroups() throws IOException {
    GroupType children = fileSchema("media").getType("children").asGroupType();
    assertEquals(LogicalTypeAnnotation.listType(), children.getLogicalTypeAnnotation());
    GroupType element = children.getType("list").asGroupType().getType("element").asGroupType();
    assertEquals(
        PrimitiveTypeName.INT64,
        element.getType("timestamp").asPrimitiveType().getPrimitiveTypeName());
    assertFalse(element.getType("owner").isPrimitive());
  }

  @Test
  void onlineFollowersAreAListOfKeyValueGroups() throws IOException {
    GroupType entry =
        fileSchema("user_insights")
            .getType("online_followers")
            .asGroupType()
            .getType("list")
            .asGroupType()
            .getType("element")
            .asGroupType();
    assertEquals(
        PrimitiveTypeName.BINARY, entry.getType("key").asPrimitiveType().getPrimitiveTypeName());
    assertEquals(
        PrimitiveTypeName.INT64, entry.getType("value").asPrimitiveType().getPrimitiveTypeName());
  }

  @Test
  void valuesReadBackAsTyped() throws IOException {
    GenericRecord m1 =
        readAll("media").stream()
            .filter(r -> r.get("id").toString().equals("m1"))
            .findFirst()
            .orElseThrow();
    assertEquals(1686597602L * 1_000_000L, m1.get("timestamp"));
    assertEquals(20L, m1.get("like_count"));
    assertEquals(true, m1.get("is_comment_enabled"));
    assertEquals(2, ((List<?>) m1.get("children")).size());
    assertNull(m1.get("thumbnail_url"));
  }

  @Test
  void fieldsTheSchemaDoesNotDeclareAreNotColumns() throws IOException {
    assertFalse(fileSchema("users").containsField("a_field_added_later"));
    assertTrue(fileSchema("users").containsField("followers_count"));
  }

  // ------------------------------------------- reading with Parquet's own readers and Hadoop's
  // snappy codec

  static List<Path> files(String stream) throws IOException {
    try (Stream<Path> paths = Files.list(output.resolve(stream))) {
      List<Path> files =
          paths
              .filter(p -> p.toString().endsWith(".parquet"))
              .sorted(Comparator.naturalOrder())
              .collect(Collectors.toList());
      assertFalse(files.isEmpty(), "no .parquet files for " + stream);
      return files;
    }
  }

  static ParquetFileReader open(Path file) throws IOException {
    return new ParquetFileReader(new LocalInputFile(file), ParquetReadOptions.builder().build());
  }

  static MessageType fileSchema(String stream) throws IOException {
    try (ParquetFileReader reader = open(files(stream).get(0))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  static List<GenericRecord> readAll(String stream) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    for (Path file : files(stream)) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }
}
