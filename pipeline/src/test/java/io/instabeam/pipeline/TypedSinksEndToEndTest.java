package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.pipeline.sink.BigQuerySink;
import io.instabeam.pipeline.sink.SinkChoice;
import io.instabeam.pipeline.state.StateFile;
import io.instabeam.schemas.RecordConverter;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed sinks through the job: the same emulator data written as JSONL, as Parquet (read back
 * with Parquet's reader) and to BigQuery (Beam's fake services) holds the same records, typed by
 * the stream schemas, the default metric set's columns included.
 */
class TypedSinksEndToEndTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final String TOKEN = "typed-sinks-token";
  static final String STREAMS = String.join(",", StreamCatalog.names());

  @TempDir static Path tmp;
  static GraphApiEmulator emulator;
  static Map<String, List<com.fasterxml.jackson.databind.node.ObjectNode>> jsonl;

  @BeforeAll
  static void runAsJsonl() {
    emulator =
        GraphApiEmulator.builder()
            .seed(21)
            .accessToken(TOKEN)
            .accounts(2)
            .mediaPerAccount(40)
            .storiesPerAccount(4)
            .now(NOW)
            .build()
            .start();
    JobHarness.Run run = JobHarness.run(args("--output=" + tmp.resolve("jsonl")));
    assertEquals(0, run.exitCode(), run.err());
    jsonl = JobHarness.published(tmp.resolve("jsonl"));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void parquetFilesHoldTheJsonlRecordsTyped() throws IOException {
    JobHarness.Run run =
        JobHarness.run(args("--output=" + tmp.resolve("parquet"), "--format=parquet"));
    assertEquals(0, run.exitCode(), run.err());
    for (StreamDefinition stream : StreamCatalog.all()) {
      RecordConverter converter = RecordConverter.of(stream);
      List<String> expected = new ArrayList<>();
      jsonl.get(stream.name()).forEach(record -> expected.add(converter.toAvro(record).toString()));
      List<String> actual = new ArrayList<>();
      readParquet(tmp.resolve("parquet").resolve(stream.name()))
          .forEach(record -> actual.add(record.toString()));
      assertFalse(expected.isEmpty(), stream.name());
      assertEquals(sorted(expected), sorted(actual), stream.name());
    }
    // The current metric set's columns, typed: integers, a rate, a flag, a split as key/value
    // entries.
    Map<String, Map<String, Schema.Type>> columns =
        Map.of(
            "media_insights",
                Map.of(
                    "views",
                    Schema.Type.LONG,
                    "reels_skip_rate",
                    Schema.Type.DOUBLE,
                    "total_views",
                    Schema.Type.LONG),
            "media",
                Map.of(
                    "is_ai_generated",
                    Schema.Type.BOOLEAN,
                    "media_audio_type",
                    Schema.Type.STRING,
                    "shares_count",
                    Schema.Type.LONG),
            "story_insights", Map.of("link_clicks", Schema.Type.LONG),
            "user_insights",
                Map.of(
                    "accounts_engaged",
                    Schema.Type.LONG,
                    "follows_and_unfollows_by_follow_type",
                    Schema.Type.ARRAY),
            "user_lifetime_insights", Map.of("timeframe", Schema.Type.STRING));
    columns.forEach(
        (stream, types) ->
            types.forEach(
                (column, type) -> {
                  List<GenericRecord> records = readParquet(tmp.resolve("parquet").resolve(stream));
                  Schema schema = records.get(0).getSchema().getField(column).schema();
                  assertEquals(
                      List.of(Schema.Type.NULL, type),
                      schema.getTypes().stream().map(Schema::getType).toList(),
                      stream + "." + column);
                  assertTrue(
                      records.stream().anyMatch(r -> r.get(column) != null),
                      stream + "." + column + " has values");
                }));
  }

  @Test
  void bigQueryTablesHoldTheJsonlRecordsTyped() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    datasets.createDataset("test-project", "instagram", "", "", null);
    FakeBigQueryServices services =
        new FakeBigQueryServices()
            .withDatasetService(datasets)
            .withJobService(new FakeJobService());

    String[] args = args("--sink=bigquery", "--bigQueryDataset=test-project:instagram");
    InstabeamOptions options = Main.parse(args);
    options.as(GcpOptions.class).setProject("test-project");
    options.setTempLocation(
        "gs://bucket/tmp"); // what the option check asks for; Beam's fake services load locally
    JobConfig job = JobConfig.from(options, AccessToken.of(TOKEN));
    options.setTempLocation(tmp.resolve("bq-temp").toString());
    Pipeline pipeline = Pipeline.create(options);
    InstabeamPipeline.build(
        pipeline,
        job,
        BigQuerySink.to((SinkChoice.BigQuery) job.sink()).withTestServices(services),
        StateFile.empty(),
        "run-bq");
    pipeline.run().waitUntilFinish();

    for (StreamDefinition stream : StreamCatalog.all()) {
      List<TableRow> rows = datasets.getAllRows("test-project", "instagram", stream.name());
      assertEquals(jsonl.get(stream.name()).size(), rows.size(), stream.name());
      String key = stream.primaryKey().isEmpty() ? "id" : stream.primaryKey().get(0);
      List<String> expectedKeys = new ArrayList<>();
      jsonl.get(stream.name()).forEach(r -> expectedKeys.add(r.path(key).asText()));
      List<String> actualKeys = new ArrayList<>();
      rows.forEach(r -> actualKeys.add(String.valueOf(r.get(key))));
      assertEquals(sorted(expectedKeys), sorted(actualKeys), stream.name());
    }
    TableSchema insights =
        datasets
            .getTable(
                new TableReference()
                    .setProjectId("test-project")
                    .setDatasetId("instagram")
                    .setTableId("media_insights"))
            .getSchema();
    assertEquals(
        "INT64",
        insights.getFields().stream()
            .filter(f -> f.getName().equals("views"))
            .findFirst()
            .orElseThrow()
            .getType());
    assertTrue(
        datasets.getAllRows("test-project", "instagram", "media_insights").stream()
            .anyMatch(r -> r.get("views") != null));
  }

  private static String[] args(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=" + TOKEN,
                "--now=" + NOW,
                "--streams=" + STREAMS,
                "--competitors=" + String.join(",", emulator.dataset().competitorUsernames())));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static List<GenericRecord> readParquet(Path folder) {
    List<GenericRecord> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<GenericRecord> reader =
            AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
          for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
            records.add(record);
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return records;
  }

  private static List<String> sorted(List<String> values) {
    List<String> copy = new ArrayList<>(values);
    copy.sort(null);
    return copy;
  }
}
