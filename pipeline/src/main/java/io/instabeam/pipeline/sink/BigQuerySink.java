package io.instabeam.pipeline.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.JobConfigurationTableCopy;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.api.services.bigquery.model.TimePartitioning;
import io.instabeam.schemas.RecordConverter;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.StreamSchema;
import io.instabeam.schemas.SyncMode;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.CreateDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO.Write.WriteDisposition;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.io.gcp.bigquery.DynamicDestinations;
import org.apache.beam.sdk.io.gcp.bigquery.TableDestination;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.ValueInSingleWindow;

/**
 * Writes each stream to its own BigQuery table, {@code <dataset>.<stream>}, through {@link
 * BigQueryIO} file loads.
 *
 * <p>Tables are created from the stream's schema ({@link StreamSchema#tableSchema()}), partitioned
 * by day on the stream's partition field (user_insights.date, media.timestamp, stories.timestamp)
 * and clustered by {@code business_account_id} when the stream has that column.
 *
 * <p>A run publishes nothing until every stream is loaded: each stream is first loaded into its own
 * staging table, {@code <stream>__instabeam_staging_<run>}, and only when every staging load has
 * succeeded does one commit step fold each staging table into its table, then drop it. The sync
 * mode decides how: {@code full_refresh_overwrite} replaces the table (copy job, WRITE_TRUNCATE),
 * the append modes add to it (copy job, WRITE_APPEND), and {@code incremental_append_deduped}
 * stages the newest record per primary key and MERGEs that into the table, so the table holds
 * exactly one row per key. Each commit is atomic for its table; the commits of different tables are
 * separate jobs. A table created before its stream gained columns gets them first ({@link
 * ColumnAddition}).
 *
 * <p>Load jobs need {@code --tempLocation} (a {@code gs://} path in production) for the files they
 * load from.
 */
public final class BigQuerySink implements RecordSink, Serializable {
  private static final long serialVersionUID = 1L;
  static final String CLUSTER_FIELD = "business_account_id";
  static final String STAGING_INFIX = "__instabeam_staging_";

  private final String project;
  private final String dataset;
  private final BigQueryServices services;
  private final StagedTableMerge merge;
  private final ColumnAddition columns;

  /** Makes staging tables unique per run, so two runs never load into the same staging table. */
  private final String runToken;

  private BigQuerySink(
      String project,
      String dataset,
      BigQueryServices services,
      StagedTableMerge merge,
      ColumnAddition columns,
      String runToken) {
    this.project = project;
    this.dataset = dataset;
    this.services = services;
    this.merge = merge;
    this.columns = columns;
    this.runToken = runToken;
  }

  /** A sink into {@code dataset}. */
  public static BigQuerySink to(SinkChoice.BigQuery dataset) {
    return new BigQuerySink(
        dataset.project(),
        dataset.dataset(),
        null,
        StagedTableMerge.queryJob(),
        ColumnAddition.ddl(),
        UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /** Talks to these services instead of BigQuery (Beam's {@code FakeBigQueryServices} in tests). */
  public BigQuerySink withTestServices(BigQueryServices testServices) {
    return new BigQuerySink(project, dataset, testServices, merge, columns, runToken);
  }

  /** Applies deduplicating merges with {@code stagedTableMerge} instead of a query job (tests). */
  BigQuerySink withStagedTableMerge(StagedTableMerge stagedTableMerge) {
    return new BigQuerySink(project, dataset, services, stagedTableMerge, columns, runToken);
  }

  /**
   * Adds new columns to existing tables with {@code columnAddition} instead of a DDL query job
   * (tests).
   */
  BigQuerySink withColumnAddition(ColumnAddition columnAddition) {
    return new BigQuerySink(project, dataset, services, merge, columnAddition, runToken);
  }

  @Override
  public String describe() {
    return "BigQuery dataset " + project + ":" + dataset;
  }

  /**
   * Stages every stream, then commits them all in one step that waits for every staging load: a run
   * that fails before that (in the Graph API or in any stream's load) leaves every table as it was.
   *
   * @return the table specs ({@code project:dataset.table}) committed, one element per table; the
   *     collection is complete only once every commit (copy job or merge) has finished.
   */
  @Override
  public PCollection<String> write(List<StreamOutput> outputs) {
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("BigQuerySink.write needs at least one stream");
    }
    List<PCollection<String>> staged = new ArrayList<>();
    Map<String, Commit> commits = new LinkedHashMap<>();
    for (StreamOutput output : outputs) {
      StreamDefinition stream = output.stream();
      staged.add(
          output
              .records()
              .apply(
                  "Stage " + stream.name() + " in BigQuery",
                  new StageStream(this, stream, output.syncMode())));
      commits.put(stream.name(), new Commit(stream, output.syncMode()));
    }
    PCollection<String> stagedStreams =
        PCollectionList.of(staged).apply("Collect the staged streams", Flatten.pCollections());
    return stagedStreams
        // A stream's load can report several successful loads; commit it once.
        .apply("Once per stream", Distinct.create())
        // Complete only once every stream's staging load has succeeded: no table is touched before
        // that.
        .apply("Wait until every stream is staged", Wait.on(stagedStreams))
        .apply("Commit the staged tables", ParDo.of(new CommitStagedTables(this, commits)));
  }

  TableReference table(String tableId) {
    return new TableReference().setProjectId(project).setDatasetId(dataset).setTableId(tableId);
  }

  String stagingTableId(StreamDefinition stream) {
    return stream.name() + STAGING_INFIX + runToken;
  }

  BigQueryServices servicesOrDefault() {
    return services != null ? services : new BigQueryServicesImpl();
  }

  /** Day partitioning on the stream's partition field, or null when it has none. */
  static TimePartitioning partitioning(StreamDefinition stream) {
    return stream
        .partitionField()
        .map(field -> new TimePartitioning().setType("DAY").setField(field))
        .orElse(null);
  }

  /** Clustering by business account, or null when the stream has no such top-level column. */
  static Clustering clustering(StreamDefinition stream) {
    return StreamSchema.of(stream).field(CLUSTER_FIELD).isPresent()
        ? new Clustering().setFields(List.of(CLUSTER_FIELD))
        : null;
  }

  static WriteDisposition writeDisposition(SyncMode mode) {
    return mode.replacesData() ? WriteDisposition.WRITE_TRUNCATE : WriteDisposition.WRITE_APPEND;
  }

  // ---------------------------------------------------------------- staging

  /**
   * Loads one stream's records into its staging table (WRITE_TRUNCATE; schema, partitioning and
   * clustering of the stream's table, so a copy job can carry them over), emitting the stream's
   * name once the load has succeeded.
   */
  static final class StageStream extends PTransform<PCollection<String>, PCollection<String>> {
    private final BigQuerySink sink;
    private final StreamDefinition stream;
    private final SyncMode mode;

    StageStream(BigQuerySink sink, StreamDefinition stream, SyncMode mode) {
      this.sink = sink;
      this.stream = stream;
      this.mode = mode;
      if (mode == SyncMode.INCREMENTAL_APPEND_DEDUPED && stream.primaryKey().isEmpty()) {
        throw new IllegalArgumentException(
            "stream " + stream.name() + " has no primary key, so it cannot be written in " + mode);
      }
    }

    @Override
    public PCollection<String> expand(PCollection<String> records) {
      // MERGE needs unique keys in its source, so the deduped mode stages one record per key.
      PCollection<String> staged =
          mode == SyncMode.INCREMENTAL_APPEND_DEDUPED
              ? records.apply(
                  "Keep the newest record per primary key", new KeepNewestPerKey(stream))
              : records;
      TableDestination staging =
          new TableDestination(
              BigQueryHelpers.toTableSpec(sink.table(sink.stagingTableId(stream))),
              null,
              partitioning(stream),
              clustering(stream));
      String name = stream.name();
      return staged
          .apply("Load into the staging table", load(staging))
          .getSuccessfulTableLoads()
          .apply(
              "Name the staged stream",
              MapElements.into(TypeDescriptors.strings()).via(loaded -> name));
    }

    private BigQueryIO.Write<String> load(TableDestination table) {
      BigQueryIO.Write<String> write =
          BigQueryIO.<String>write()
              .to(new StreamTable(stream, table))
              .withFormatFunction(new ToTableRow(stream))
              .withMethod(BigQueryIO.Write.Method.FILE_LOADS)
              .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
              .withWriteDisposition(WriteDisposition.WRITE_TRUNCATE);
      return sink.services == null ? write : write.withTestServices(sink.services);
    }
  }

  /** The one table a stream's records go to, with its schema, partitioning and clustering. */
  static final class StreamTable extends DynamicDestinations<String, String> {
    private final StreamDefinition stream;
    private final String tableSpec;
    private final String partitioningJson;
    private final String clusteringJson;

    StreamTable(StreamDefinition stream, TableDestination table) {
      this.stream = stream;
      this.tableSpec = table.getTableSpec();
      // TableDestination keeps these as JSON; keep them so, since the API model classes are not
      // Serializable.
      this.partitioningJson = table.getJsonTimePartitioning();
      this.clusteringJson = table.getJsonClustering();
    }

    @Override
    public String getDestination(ValueInSingleWindow<String> element) {
      return tableSpec;
    }

    @Override
    public TableDestination getTable(String destination) {
      return new TableDestination(destination, null, partitioningJson, clusteringJson);
    }

    @Override
    public TableSchema getSchema(String destination) {
      return StreamSchema.of(stream).tableSchema();
    }
  }

  /** JSON record to TableRow, typed by the stream's schema (unknown fields dropped). */
  static final class ToTableRow implements SerializableFunction<String, TableRow> {
    private final RecordConverter converter;

    ToTableRow(StreamDefinition stream) {
      this.converter = RecordConverter.of(stream);
    }

    @Override
    public TableRow apply(String json) {
      return converter.toTableRow(json);
    }
  }

  // ---------------------------------------------------------------- deduplication

  /**
   * One record per primary key: the one with the latest cursor value; among equal cursors the
   * greatest JSON text, only so that reruns of the same data pick the same record. {@code MERGE}
   * needs unique keys in its source.
   */
  static final class KeepNewestPerKey extends PTransform<PCollection<String>, PCollection<String>> {
    private final StreamDefinition stream;

    KeepNewestPerKey(StreamDefinition stream) {
      this.stream = stream;
    }

    @Override
    public PCollection<String> expand(PCollection<String> records) {
      return records
          .apply(
              "Key by primary key",
              ParDo.of(new KeyByPrimaryKey(stream.primaryKey(), stream.cursorField().orElse(null))))
          .setCoder(
              KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
          .apply("Pick the newest per key", Max.perKey(new NewerRecord()))
          .apply("Drop the keys", Values.create())
          .apply("Drop the cursors", Values.create());
    }
  }

  /**
   * Keys each record by its primary key, with its cursor beside it: each record is parsed once,
   * here.
   */
  static final class KeyByPrimaryKey extends DoFn<String, KV<String, KV<Long, String>>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> primaryKey;
    private final String cursorField;

    KeyByPrimaryKey(List<String> primaryKey, String cursorField) {
      this.primaryKey = primaryKey;
      this.cursorField = cursorField;
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<KV<String, KV<Long, String>>> out)
        throws IOException {
      JsonNode json = JSON.readTree(record);
      out.output(
          KV.of(
              DedupeByPrimaryKey.keyOf(primaryKey, json),
              KV.of(cursorMicros(json, cursorField), record)));
    }

    /**
     * The cursor in microseconds since the epoch (sources differ in how they write offsets);
     * missing, unreadable or no cursor field sorts first.
     */
    static long cursorMicros(JsonNode record, String cursorField) {
      JsonNode value = cursorField == null ? null : record.path(cursorField);
      return value != null && value.isTextual()
          ? RecordConverter.parseTimestamp(value.asText())
              .map(t -> ChronoUnit.MICROS.between(Instant.EPOCH, t))
              .orElse(Long.MIN_VALUE)
          : Long.MIN_VALUE;
    }
  }

  /** Orders (cursor, record) pairs by cursor, then by JSON text. */
  static final class NewerRecord implements Comparator<KV<Long, String>>, Serializable {
    private static final long serialVersionUID = 2L;

    @Override
    public int compare(KV<Long, String> a, KV<Long, String> b) {
      int byCursor = Long.compare(a.getKey(), b.getKey());
      return byCursor != 0 ? byCursor : a.getValue().compareTo(b.getValue());
    }
  }

  // ---------------------------------------------------------------- commit

  /** How one staged stream is committed to its table. */
  static final class Commit implements Serializable {
    private static final long serialVersionUID = 1L;
    final StreamDefinition stream;
    final SyncMode mode;

    Commit(StreamDefinition stream, SyncMode mode) {
      this.stream = stream;
      this.mode = mode;
    }
  }

  /**
   * Commits a staged stream into its table and drops the staging table: a copy job for the
   * overwrite (WRITE_TRUNCATE) and append (WRITE_APPEND) modes, a MERGE for the deduped mode. Each
   * of these is atomic for its table.
   */
  static final class CommitStagedTables extends DoFn<String, String> {
    private final BigQuerySink sink;
    private final Map<String, Commit> commits;

    CommitStagedTables(BigQuerySink sink, Map<String, Commit> commits) {
      this.sink = sink;
      this.commits = commits;
    }

    @ProcessElement
    public void process(
        @Element String streamName, PipelineOptions options, OutputReceiver<String> out)
        throws Exception {
      Commit commit = commits.get(streamName);
      StreamDefinition stream = commit.stream;
      BigQueryOptions bigQueryOptions = options.as(BigQueryOptions.class);
      TableReference target = sink.table(stream.name());
      TableReference staging = sink.table(sink.stagingTableId(stream));
      String jobProject =
          bigQueryOptions.getBigQueryProject() != null
              ? bigQueryOptions.getBigQueryProject()
              : bigQueryOptions.getProject() != null
                  ? bigQueryOptions.getProject()
                  : target.getProjectId();
      BigQueryServices services = sink.servicesOrDefault();
      try (DatasetService datasets = services.getDatasetService(bigQueryOptions);
          JobService jobs = services.getJobService(bigQueryOptions)) {
        addNewColumns(stream, target, datasets, jobs, jobProject);
        if (commit.mode == SyncMode.INCREMENTAL_APPEND_DEDUPED) {
          merge(stream, target, datasets, jobs, jobProject);
        } else {
          copy(stream, staging, target, writeDisposition(commit.mode), jobs, jobProject);
        }
        // Absent when a retried bundle had already committed and dropped it.
        if (datasets.getTable(staging) != null) {
          datasets.deleteTable(staging);
        }
      }
      out.output(BigQueryHelpers.toTableSpec(target));
    }

    /**
     * A table written before the stream gained columns (new metrics, new fields) gets them,
     * nullable, first.
     */
    private void addNewColumns(
        StreamDefinition stream,
        TableReference target,
        DatasetService datasets,
        JobService jobs,
        String jobProject)
        throws IOException, InterruptedException {
      Table existing = datasets.getTable(target);
      if (existing == null) {
        return;
      }
      List<TableFieldSchema> missing =
          ColumnAddition.missing(existing.getSchema(), StreamSchema.of(stream).tableSchema());
      if (!missing.isEmpty()) {
        sink.columns.add(target, missing, jobProject, datasets, jobs);
      }
    }

    private void merge(
        StreamDefinition stream,
        TableReference target,
        DatasetService datasets,
        JobService jobs,
        String jobProject)
        throws IOException, InterruptedException {
      StreamSchema schema = StreamSchema.of(stream);
      if (datasets.getTable(target) == null) {
        datasets.createTable(
            new Table()
                .setTableReference(target)
                .setSchema(schema.tableSchema())
                .setTimePartitioning(partitioning(stream))
                .setClustering(clustering(stream)));
      }
      sink.merge.apply(
          new MergeStatement(
              target,
              sink.stagingTableId(stream),
              stream.primaryKey(),
              schema.fields().stream().map(StreamSchema.Field::name).collect(Collectors.toList())),
          jobProject,
          datasets,
          jobs);
    }

    /**
     * A copy job creates a missing target with the staging table's schema, partitioning and
     * clustering. Its id is fixed per run and stream, so a retried bundle finds the job it already
     * started instead of appending twice.
     */
    private void copy(
        StreamDefinition stream,
        TableReference staging,
        TableReference target,
        WriteDisposition disposition,
        JobService jobs,
        String jobProject)
        throws IOException, InterruptedException {
      JobReference ref =
          new JobReference()
              .setProjectId(jobProject)
              .setJobId("instabeam_commit_" + sink.stagingTableId(stream));
      jobs.startCopyJob(
          ref,
          new JobConfigurationTableCopy()
              .setSourceTables(List.of(staging))
              .setDestinationTable(target)
              .setCreateDisposition(CreateDisposition.CREATE_IF_NEEDED.name())
              .setWriteDisposition(disposition.name()));
      BigQueryJobs.awaitSuccess(
          jobs, ref, "copying " + staging.getTableId() + " into " + target.getTableId());
    }
  }
}
