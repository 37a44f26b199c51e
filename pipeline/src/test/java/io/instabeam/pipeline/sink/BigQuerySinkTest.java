package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import io.instabeam.pipeline.ConfigException;
import io.instabeam.schemas.RecordConverter;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.StreamSchema;
import io.instabeam.schemas.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.io.gcp.testing.FakeJobService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The BigQuery sink against Beam's own fake BigQuery services (datasets, load and copy jobs). */
class BigQuerySinkTest {
  private static final String PROJECT = "instabeam-test";
  private static final String DATASET = "instagram";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private FakeDatasetService datasets;
  private FakeBigQueryServices services;

  @BeforeEach
  void freshFakeBigQuery() throws Exception {
    FakeDatasetService.setUp();
    FakeJobService.setUp();
    datasets = new FakeDatasetService();
    datasets.createDataset(PROJECT, DATASET, "", "", null);
    services =
        new FakeBigQueryServices()
            .withDatasetService(datasets)
            .withJobService(new FakeJobService());
    InMemoryMerge.STATEMENTS.clear();
    FakeColumnAddition.STATEMENTS.clear();
  }

  // ---------------------------------------------------------------- tables

  @Test
  void everyStreamGetsItsOwnTableWithTheStreamSchema() throws Exception {
    runEveryStream();
    for (StreamDefinition stream : StreamCatalog.all()) {
      Table table = datasets.getTable(table(stream.name()));
      assertNotNull(table, stream.name());
      assertEquals(
          StreamSchema.of(stream).tableSchema().getFields(),
          table.getSchema().getFields(),
          stream.name());
    }
  }

  @Test
  void tablesArePartitionedByDayOnTheRecordDate() throws Exception {
    runEveryStream();
    Map<String, String> expected =
        Map.of(
            "user_insights",
            "date",
            "media",
            "timestamp",
            "stories",
            "timestamp",
            "media_comments",
            "timestamp",
            "tagged_media",
            "timestamp",
            "collaborative_media",
            "timestamp",
            "competitors",
            "snapshot_at",
            "competitor_media",
            "snapshot_at");
    for (StreamDefinition stream : StreamCatalog.all()) {
      Table table = datasets.getTable(table(stream.name()));
      if (expected.containsKey(stream.name())) {
        assertEquals("DAY", table.getTimePartitioning().getType(), stream.name());
        assertEquals(
            expected.get(stream.name()), table.getTimePartitioning().getField(), stream.name());
      } else {
        assertNull(table.getTimePartitioning(), stream.name());
      }
    }
  }

  @Test
  void tablesWithABusinessAccountColumnAreClusteredByIt() throws Exception {
    runEveryStream();
    for (String name :
        List.of(
            "user_insights",
            "user_lifetime_insights",
            "media",
            "media_insights",
            "stories",
            "story_insights")) {
      assertEquals(
          List.of("business_account_id"),
          datasets.getTable(table(name)).getClustering().getFields(),
          name);
    }
    assertNull(datasets.getTable(table("users")).getClustering());
    assertNull(datasets.getTable(table("Api")).getClustering());
  }

  @Test
  void rowsEqualTheTypedInputRecords() throws Exception {
    runEveryStream();
    for (StreamDefinition stream : StreamCatalog.all()) {
      RecordConverter converter = RecordConverter.of(stream);
      List<String> expected =
          SampleRecords.BY_STREAM.get(stream.name()).stream()
              .map(converter::toTableRow)
              .map(BigQuerySinkTest::canonical)
              .sorted()
              .collect(Collectors.toList());
      assertEquals(expected, rows(stream.name()), stream.name());
    }
  }

  @Test
  void theResultNamesEveryLoadedTable() {
    Pipeline pipeline = pipeline();
    List<StreamOutput> outputs = new ArrayList<>();
    for (String name : List.of("users", "media")) {
      outputs.add(
          output(
              pipeline,
              StreamCatalog.get(name),
              SyncMode.FULL_REFRESH_OVERWRITE,
              SampleRecords.BY_STREAM.get(name)));
    }
    PCollection<String> written = sink().write(outputs);
    PAssert.that(written)
        .containsInAnyOrder(PROJECT + ":" + DATASET + ".users", PROJECT + ":" + DATASET + ".media");
    pipeline.run().waitUntilFinish();
  }

  // ---------------------------------------------------------------- sync modes

  @Test
  void overwriteReplacesWhatTheTableHeld() throws Exception {
    StreamDefinition media = StreamCatalog.get("media");
    run(media, SyncMode.FULL_REFRESH_OVERWRITE, SampleRecords.BY_STREAM.get("media"));
    run(
        media,
        SyncMode.FULL_REFRESH_OVERWRITE,
        List.of("{\"id\":\"m9\",\"business_account_id\":\"1784\"}"));
    assertEquals(List.of("m9"), ids("media"));
  }

  @Test
  void appendAddsToWhatTheTableHeld() throws Exception {
    StreamDefinition media = StreamCatalog.get("media");
    run(media, SyncMode.FULL_REFRESH_APPEND, SampleRecords.BY_STREAM.get("media"));
    run(media, SyncMode.FULL_REFRESH_APPEND, List.of("{\"id\":\"m1\",\"like_count\":21}"));
    assertEquals(List.of("m1", "m1", "m2"), ids("media"));
  }

  @Test
  void incrementalAppendKeepsEveryRunsRows() throws Exception {
    StreamDefinition insights = StreamCatalog.get("user_insights");
    run(insights, SyncMode.INCREMENTAL_APPEND, List.of(userInsight("1784", "2023-06-12", 1)));
    run(insights, SyncMode.INCREMENTAL_APPEND, List.of(userInsight("1784", "2023-06-12", 2)));
    assertEquals(2, datasets.getAllRows(PROJECT, DATASET, "user_insights").size());
  }

  @Test
  void dedupedLeavesOneRowPerPrimaryKeyWithTheNewestValues() throws Exception {
    StreamDefinition insights = StreamCatalog.get("user_insights");
    run(
        insights,
        SyncMode.INCREMENTAL_APPEND_DEDUPED,
        List.of(
            userInsight("1784", "2023-06-12", 1),
            userInsight("1784", "2023-06-13", 1),
            userInsight("1785", "2023-06-12", 1)));
    run(
        insights,
        SyncMode.INCREMENTAL_APPEND_DEDUPED,
        List.of(
            userInsight("1784", "2023-06-13", 2),
            userInsight("1784", "2023-06-14", 2),
            // the same key twice in one run: one row only
            userInsight("1784", "2023-06-14", 2)));

    Map<String, Object> followersByKey = new LinkedHashMap<>();
    for (TableRow row : datasets.getAllRows(PROJECT, DATASET, "user_insights")) {
      Object previous =
          followersByKey.put(
              row.get("business_account_id") + "@" + row.get("date"),
              String.valueOf(row.get("follower_count")));
      assertNull(previous, "duplicate key " + row);
    }
    assertEquals(
        Map.of(
            "1784@2023-06-12T07:00:00Z",
            "1",
            "1784@2023-06-13T07:00:00Z",
            "2",
            "1785@2023-06-12T07:00:00Z",
            "1",
            "1784@2023-06-14T07:00:00Z",
            "2"),
        followersByKey);
  }

  @Test
  void dedupedMergesByThePrimaryKeyAndDropsTheStagingTable() throws Exception {
    StreamDefinition insights = StreamCatalog.get("user_insights");
    BigQuerySink sink = sink();
    run(
        sink,
        insights,
        SyncMode.INCREMENTAL_APPEND_DEDUPED,
        List.of(userInsight("1784", "2023-06-12", 1)));

    assertEquals(1, InMemoryMerge.STATEMENTS.size());
    String sql = InMemoryMerge.STATEMENTS.get(0);
    assertTrue(
        sql.startsWith("MERGE `" + PROJECT + "." + DATASET + ".user_insights` AS target"), sql);
    assertTrue(
        sql.contains(
            "target.`business_account_id` IS NOT DISTINCT FROM source.`business_account_id`"
                + " AND target.`date` IS NOT DISTINCT FROM source.`date`"),
        sql);
    assertNull(datasets.getTable(table(sink.stagingTableId(insights))));
    assertEquals(
        "date", datasets.getTable(table("user_insights")).getTimePartitioning().getField());
  }

  @Test
  void aRunWithAFailingStreamLeavesEveryTableAsItWas() throws Exception {
    Map<String, SyncMode> modes = new LinkedHashMap<>();
    modes.put("users", SyncMode.FULL_REFRESH_OVERWRITE);
    modes.put("media", SyncMode.FULL_REFRESH_APPEND);
    modes.put("user_insights", SyncMode.INCREMENTAL_APPEND_DEDUPED);
    Pipeline first = pipeline();
    List<StreamOutput> firstOutputs = new ArrayList<>();
    modes.forEach(
        (name, mode) ->
            firstOutputs.add(
                output(first, StreamCatalog.get(name), mode, SampleRecords.BY_STREAM.get(name))));
    sink().write(firstOutputs);
    first.run().waitUntilFinish();
    Map<String, List<String>> before = new LinkedHashMap<>();
    for (String name : modes.keySet()) {
      before.put(name, rows(name));
      assertTrue(!before.get(name).isEmpty(), name);
    }

    // The same streams with new data, and stories failing in its source: nothing may be committed.
    Pipeline second = pipeline();
    List<StreamOutput> secondOutputs = new ArrayList<>();
    secondOutputs.add(
        output(
            second,
            StreamCatalog.get("users"),
            SyncMode.FULL_REFRESH_OVERWRITE,
            List.of("{\"id\":\"u9\"}")));
    secondOutputs.add(
        output(
            second,
            StreamCatalog.get("media"),
            SyncMode.FULL_REFRESH_APPEND,
            List.of("{\"id\":\"m9\",\"business_account_id\":\"1784\"}")));
    secondOutputs.add(
        output(
            second,
            StreamCatalog.get("user_insights"),
            SyncMode.INCREMENTAL_APPEND_DEDUPED,
            List.of(userInsight("1784", "2023-06-12", 99))));
    PCollection<String> failing =
        second
            .apply("Create stories records", Create.of(SampleRecords.BY_STREAM.get("stories")))
            .apply("Fail like the Graph API", ParDo.of(new FailLate()));
    secondOutputs.add(
        new StreamOutput(StreamCatalog.get("stories"), SyncMode.FULL_REFRESH_OVERWRITE, failing));
    BigQuerySink sink = sink();
    sink.write(secondOutputs);
    assertThrows(Exception.class, () -> second.run().waitUntilFinish());

    for (String name : modes.keySet()) {
      assertEquals(before.get(name), rows(name), name);
    }
    assertNull(datasets.getTable(table("stories")));
    assertEquals(1, InMemoryMerge.STATEMENTS.size(), "only the first run merged");
  }

  // ---------------------------------------------------------------- schema evolution

  /**
   * The media_insights columns of the schema before the current metric set, as a table created back
   * then has.
   */
  private static final List<String> NEW_MEDIA_INSIGHTS_COLUMNS =
      List.of(
          "views",
          "reposts",
          "profile_activity",
          "reels_skip_rate",
          "crossposted_views",
          "facebook_views",
          "total_likes",
          "total_comments",
          "total_views",
          "insights_read_at");

  @ParameterizedTest
  @EnumSource(
      value = SyncMode.class,
      names = {"FULL_REFRESH_APPEND", "FULL_REFRESH_OVERWRITE"})
  void anOlderTableGainsTheNewColumnsNullableAndKeepsItsRows(SyncMode mode) throws Exception {
    StreamDefinition insights = StreamCatalog.get("media_insights");
    TableSchema current = StreamSchema.of(insights).tableSchema();
    List<TableFieldSchema> older =
        current.getFields().stream()
            .filter(f -> !NEW_MEDIA_INSIGHTS_COLUMNS.contains(f.getName()))
            .collect(Collectors.toList());
    datasets.createTable(
        new Table()
            .setTableReference(table("media_insights"))
            .setSchema(new TableSchema().setFields(older)));
    datasets.insertAll(
        table("media_insights"), List.of(new TableRow().set("id", "m0").set("reach", 5)), null);

    run(
        insights,
        mode,
        List.of(
            "{\"id\":\"m1\",\"business_account_id\":\"1784\",\"reach\":7,\"views\":12,"
                + "\"reels_skip_rate\":12.5}"));

    List<TableFieldSchema> columns =
        datasets.getTable(table("media_insights")).getSchema().getFields();
    assertEquals(
        current.getFields().stream().map(TableFieldSchema::getName).collect(Collectors.toList()),
        columns.stream().map(TableFieldSchema::getName).collect(Collectors.toList()),
        "the old columns in their order, then the new ones");
    TableFieldSchema views =
        columns.stream().filter(c -> c.getName().equals("views")).findFirst().orElseThrow();
    assertEquals("INT64", views.getType());
    assertEquals("NULLABLE", views.getMode());
    assertEquals(
        "FLOAT64",
        columns.stream()
            .filter(c -> c.getName().equals("reels_skip_rate"))
            .findFirst()
            .orElseThrow()
            .getType());
    assertEquals(1, FakeColumnAddition.STATEMENTS.size());
    assertTrue(
        FakeColumnAddition.STATEMENTS
            .get(0)
            .startsWith(
                "ALTER TABLE `"
                    + PROJECT
                    + "."
                    + DATASET
                    + ".media_insights` ADD COLUMN IF NOT EXISTS `views` INT64, ADD COLUMN IF NOT EXISTS `reposts` INT64"),
        FakeColumnAddition.STATEMENTS.get(0));
    Map<String, TableRow> rows =
        datasets.getAllRows(PROJECT, DATASET, "media_insights").stream()
            .collect(Collectors.toMap(r -> String.valueOf(r.get("id")), r -> r));
    assertEquals("12", String.valueOf(rows.get("m1").get("views")));
    assertEquals(
        mode == SyncMode.FULL_REFRESH_APPEND, rows.containsKey("m0"), rows.keySet().toString());
  }

  @Test
  void dedupedMergesIntoAnOlderTableOnceItHasTheNewColumns() throws Exception {
    StreamDefinition insights = StreamCatalog.get("user_insights");
    List<TableFieldSchema> older =
        StreamSchema.of(insights).tableSchema().getFields().stream()
            .filter(
                f ->
                    List.of("page_id", "business_account_id", "date", "follower_count", "reach")
                        .contains(f.getName()))
            .collect(Collectors.toList());
    datasets.createTable(
        new Table()
            .setTableReference(table("user_insights"))
            .setSchema(new TableSchema().setFields(older)));
    run(
        insights,
        SyncMode.INCREMENTAL_APPEND_DEDUPED,
        List.of(userInsight("1784", "2023-06-12", 1)));
    assertTrue(
        datasets.getTable(table("user_insights")).getSchema().getFields().stream()
            .anyMatch(
                f ->
                    f.getName().equals("follows_and_unfollows_by_follow_type")
                        && "REPEATED".equals(f.getMode())));
    assertTrue(
        FakeColumnAddition.STATEMENTS
            .get(0)
            .contains(
                "`follows_and_unfollows_by_follow_type` ARRAY<STRUCT<`key` STRING, `value` INT64>>"),
        FakeColumnAddition.STATEMENTS.get(0));
    assertTrue(
        InMemoryMerge.STATEMENTS.get(0).contains("`accounts_engaged`"),
        InMemoryMerge.STATEMENTS.get(0));
  }

  @Test
  void aTableWithEveryColumnIsLeftAsItIs() throws Exception {
    StreamDefinition media = StreamCatalog.get("media");
    run(media, SyncMode.FULL_REFRESH_APPEND, SampleRecords.BY_STREAM.get("media"));
    run(media, SyncMode.FULL_REFRESH_APPEND, SampleRecords.BY_STREAM.get("media"));
    assertEquals(List.of(), FakeColumnAddition.STATEMENTS);
  }

  @Test
  void dedupedIsRefusedForAStreamWithoutPrimaryKey() {
    Pipeline pipeline = pipeline();
    StreamOutput output =
        output(
            pipeline,
            StreamCatalog.get("story_insights"),
            SyncMode.INCREMENTAL_APPEND_DEDUPED,
            SampleRecords.BY_STREAM.get("story_insights"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sink().write(List.of(output)));
    assertTrue(e.getMessage().contains("story_insights"), e.getMessage());
  }

  @Test
  void aDatasetSpecWithoutProjectIsRefusedWithTheOptionName() {
    for (String spec :
        new String[] {
          "instagram", "p:d", "My-Project:instagram", "my-project:insta-gram", "a:b:c"
        }) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> SinkChoice.BigQuery.parse(spec));
      assertTrue(
          e.getMessage().contains("--bigQueryDataset=" + spec)
              && e.getMessage().contains("PROJECT:DATASET"),
          e.getMessage());
    }
    assertEquals(
        new SinkChoice.BigQuery("my-project", "instagram"),
        SinkChoice.BigQuery.parse("my-project.instagram"));
  }

  @Test
  void describeNamesTheDataset() {
    assertEquals(
        "BigQuery dataset my-project:d",
        BigQuerySink.to(SinkChoice.BigQuery.parse("my-project:d")).describe());
  }

  // ---------------------------------------------------------------- helpers

  /**
   * MERGE semantics for Beam's fake services, which cannot run SQL: staged rows replace rows with
   * their key.
   */
  static final class InMemoryMerge implements StagedTableMerge {
    static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void apply(
        MergeStatement merge, String jobProject, DatasetService datasetService, JobService jobs)
        throws java.io.IOException, InterruptedException {
      STATEMENTS.add(merge.sql());
      FakeDatasetService fake = (FakeDatasetService) datasetService;
      TableReference target = merge.target();
      Map<List<Object>, TableRow> byKey = new LinkedHashMap<>();
      for (TableReference from : List.of(target, merge.staging())) {
        for (TableRow row :
            fake.getAllRows(from.getProjectId(), from.getDatasetId(), from.getTableId())) {
          byKey.put(merge.primaryKey().stream().map(row::get).collect(Collectors.toList()), row);
        }
      }
      Table table = fake.getTable(target);
      fake.deleteTable(target);
      fake.createTable(table);
      fake.insertAll(target, new ArrayList<>(byKey.values()), null);
    }
  }

  /**
   * Column addition for Beam's fake services, which cannot run DDL: the fake table's schema gets
   * the columns.
   */
  static final class FakeColumnAddition implements ColumnAddition {
    static final List<String> STATEMENTS = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void add(
        TableReference table,
        List<TableFieldSchema> columns,
        String jobProject,
        DatasetService datasetService,
        JobService jobs)
        throws java.io.IOException, InterruptedException {
      STATEMENTS.add(ColumnAddition.sql(table, columns));
      FakeDatasetService fake = (FakeDatasetService) datasetService;
      List<TableFieldSchema> fields = new ArrayList<>(fake.getTable(table).getSchema().getFields());
      fields.addAll(columns);
      fake.updateTableSchema(table, new TableSchema().setFields(fields));
    }
  }

  /**
   * Fails after a while, like a Graph API call giving up after retries: late enough that the other
   * streams' loads have finished by then, which they would have published had they loaded straight
   * into their tables.
   */
  static final class FailLate extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String record) throws InterruptedException {
      Thread.sleep(5_000);
      throw new IllegalStateException("Graph API failed");
    }
  }

  private BigQuerySink sink() {
    return BigQuerySink.to(new SinkChoice.BigQuery(PROJECT, DATASET))
        .withTestServices(services)
        .withStagedTableMerge(new InMemoryMerge())
        .withColumnAddition(new FakeColumnAddition());
  }

  private Pipeline pipeline() {
    BigQueryOptions options = PipelineOptionsFactory.create().as(BigQueryOptions.class);
    options.setProject(PROJECT);
    options.setTempLocation(temp.toString());
    return Pipeline.create(options);
  }

  private static StreamOutput output(
      Pipeline pipeline, StreamDefinition stream, SyncMode mode, List<String> records) {
    return new StreamOutput(
        stream, mode, pipeline.apply("Create " + stream.name() + " records", Create.of(records)));
  }

  private void runEveryStream() {
    Pipeline pipeline = pipeline();
    List<StreamOutput> outputs = new ArrayList<>();
    for (StreamDefinition stream : StreamCatalog.all()) {
      outputs.add(
          output(
              pipeline,
              stream,
              stream.defaultSyncMode(),
              SampleRecords.BY_STREAM.get(stream.name())));
    }
    sink().write(outputs);
    pipeline.run().waitUntilFinish();
  }

  private void run(StreamDefinition stream, SyncMode mode, List<String> records) {
    run(sink(), stream, mode, records);
  }

  private void run(
      BigQuerySink sink, StreamDefinition stream, SyncMode mode, List<String> records) {
    Pipeline pipeline = pipeline();
    sink.write(List.of(output(pipeline, stream, mode, records)));
    pipeline.run().waitUntilFinish();
  }

  private static TableReference table(String name) {
    return new TableReference().setProjectId(PROJECT).setDatasetId(DATASET).setTableId(name);
  }

  private List<String> rows(String table) throws Exception {
    return datasets.getAllRows(PROJECT, DATASET, table).stream()
        .map(BigQuerySinkTest::canonical)
        .sorted()
        .collect(Collectors.toList());
  }

  private List<String> ids(String table) throws Exception {
    return datasets.getAllRows(PROJECT, DATASET, table).stream()
        .map(r -> String.valueOf(r.get("id")))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String userInsight(String account, String day, int followers) {
    return "{\"business_account_id\":\""
        + account
        + "\",\"page_id\":\"p\",\"date\":\""
        + day
        + "T07:00:00+00:00\",\"follower_count\":"
        + followers
        + "}";
  }

  /**
   * A row as JSON with every scalar as text, so rows compare whatever number types a load round
   * trip yields.
   */
  static String canonical(TableRow row) {
    try {
      return JSON.writeValueAsString(JSON.readTree(JSON.writeValueAsString(row)))
          .replaceAll(":(-?[0-9.]+)", ":\"$1\"");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
