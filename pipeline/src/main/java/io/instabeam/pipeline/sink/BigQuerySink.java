package io.instabeam.pipeline.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.Table;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.ValueInSingleWindow;

/**
 * Writes each stream to its own BigQuery table, {@code <dataset>.<stream>}, through {@link BigQueryIO} file loads.
 *
 * <p>Tables are created from the stream's schema ({@link StreamSchema#tableSchema()}), partitioned by day on the
 * stream's partition field (user_insights.date, media.timestamp, stories.timestamp) and clustered by
 * {@code business_account_id} when the stream has that column. The sync mode decides how a run combines with the
 * table: {@code full_refresh_overwrite} replaces it (WRITE_TRUNCATE, atomic), the append modes add to it
 * (WRITE_APPEND), and {@code incremental_append_deduped} keeps the newest record per primary key in the run, loads it
 * into a staging table and MERGEs that into the table, so the table holds exactly one row per key.
 *
 * <p>Load jobs need {@code --tempLocation} (a {@code gs://} path in production) for the files they load from.
 */
public final class BigQuerySink implements RecordSink, Serializable {
  private static final long serialVersionUID = 1L;
  static final String CLUSTER_FIELD = "business_account_id";
  static final String STAGING_INFIX = "__instabeam_staging_";

  private final String project;
  private final String dataset;
  private final BigQueryServices services;
  private final StagedTableMerge merge;
  /** Makes staging tables unique per run, so two runs never load into the same staging table. */
  private final String runToken;

  private BigQuerySink(String project, String dataset, BigQueryServices services, StagedTableMerge merge,
      String runToken) {
    this.project = project;
    this.dataset = dataset;
    this.services = services;
    this.merge = merge;
    this.runToken = runToken;
  }

  /** A sink into {@code project:dataset} (as for {@code --bigQueryDataset}; {@code project.dataset} works too). */
  public static BigQuerySink to(String datasetSpec) {
    String[] parts = datasetSpec == null ? new String[0] : datasetSpec.trim().split("[:.]", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "--bigQueryDataset must be PROJECT:DATASET, got '" + datasetSpec + "'");
    }
    return new BigQuerySink(parts[0], parts[1], null, StagedTableMerge.queryJob(),
        UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /** Talks to these services instead of BigQuery (Beam's {@code FakeBigQueryServices} in tests). */
  public BigQuerySink withTestServices(BigQueryServices testServices) {
    return new BigQuerySink(project, dataset, testServices, merge, runToken);
  }

  /** Applies deduplicating merges with {@code stagedTableMerge} instead of a query job (tests). */
  BigQuerySink withStagedTableMerge(StagedTableMerge stagedTableMerge) {
    return new BigQuerySink(project, dataset, services, stagedTableMerge, runToken);
  }

  @Override
  public String describe() {
    return "BigQuery dataset " + project + ":" + dataset;
  }

  /**
   * @return the table specs ({@code project:dataset.table}) written, one element per loaded (or merged) table; the
   *     collection is complete only once every load job, and every merge, has finished.
   */
  @Override
  public PCollection<String> write(List<StreamOutput> outputs) {
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("BigQuerySink.write needs at least one stream");
    }
    List<PCollection<String>> written = new ArrayList<>();
    for (StreamOutput output : outputs) {
      written.add(output.records().apply("Write " + output.stream().name() + " to BigQuery",
          new WriteStream(this, output.stream(), output.syncMode())));
    }
    return PCollectionList.of(written).apply("Collect the tables written", Flatten.pCollections());
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
    return stream.partitionField()
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

  // ---------------------------------------------------------------- one stream

  /** Loads one stream's records into its table, in the way its sync mode asks for. */
  static final class WriteStream extends PTransform<PCollection<String>, PCollection<String>> {
    private final BigQuerySink sink;
    private final StreamDefinition stream;
    private final SyncMode mode;

    WriteStream(BigQuerySink sink, StreamDefinition stream, SyncMode mode) {
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
      if (mode != SyncMode.INCREMENTAL_APPEND_DEDUPED) {
        TableDestination table = new TableDestination(BigQueryHelpers.toTableSpec(sink.table(stream.name())), null,
            partitioning(stream), clustering(stream));
        return records
            .apply("Load into " + stream.name(), load(table, writeDisposition(mode)))
            .getSuccessfulTableLoads()
            .apply("Name the loaded table", MapElements.into(TypeDescriptors.strings())
                .via(TableDestination::getTableSpec));
      }
      TableDestination staging = new TableDestination(sink.table(sink.stagingTableId(stream)), null);
      return records
          .apply("Keep the newest record per primary key", new KeepNewestPerKey(stream))
          .apply("Load into the staging table", load(staging, WriteDisposition.WRITE_TRUNCATE))
          .getSuccessfulTableLoads()
          .apply("Key the staging table", WithKeys.of(TableDestination::getTableSpec)
              .withKeyType(TypeDescriptors.strings()))
          .apply("Once per staging table", GroupByKey.create())
          .apply("Merge the staging table into " + stream.name(), ParDo.of(new MergeStagingTable(sink, stream)));
    }

    private BigQueryIO.Write<String> load(TableDestination table, WriteDisposition disposition) {
      BigQueryIO.Write<String> write = BigQueryIO.<String>write()
          .to(new StreamTable(stream, table))
          .withFormatFunction(new ToTableRow(stream))
          .withMethod(BigQueryIO.Write.Method.FILE_LOADS)
          .withCreateDisposition(CreateDisposition.CREATE_IF_NEEDED)
          .withWriteDisposition(disposition);
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
      // TableDestination keeps these as JSON; keep them so, since the API model classes are not Serializable.
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
   * One record per primary key: the one with the latest cursor value; among equal cursors the greatest JSON text,
   * only so that reruns of the same data pick the same record. {@code MERGE} needs unique keys in its source.
   */
  static final class KeepNewestPerKey extends PTransform<PCollection<String>, PCollection<String>> {
    private final StreamDefinition stream;

    KeepNewestPerKey(StreamDefinition stream) {
      this.stream = stream;
    }

    @Override
    public PCollection<String> expand(PCollection<String> records) {
      return records
          .apply("Key by primary key", ParDo.of(new KeyByPrimaryKey(stream.primaryKey())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("Pick the newest per key", Max.perKey(new NewerRecord(stream.cursorField().orElse(null))))
          .apply("Drop the keys", Values.create());
    }
  }

  static final class KeyByPrimaryKey extends DoFn<String, KV<String, String>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> primaryKey;

    KeyByPrimaryKey(List<String> primaryKey) {
      this.primaryKey = primaryKey;
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<KV<String, String>> out) throws IOException {
      JsonNode node = JSON.readTree(record);
      List<JsonNode> key = primaryKey.stream().map(k -> node.path(k)).collect(Collectors.toList());
      out.output(KV.of(JSON.writeValueAsString(key), record));
    }
  }

  /** Orders records by cursor time, then by JSON text. */
  static final class NewerRecord implements Comparator<String>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String cursorField;

    NewerRecord(String cursorField) {
      this.cursorField = cursorField;
    }

    @Override
    public int compare(String a, String b) {
      if (cursorField != null) {
        int byCursor = cursor(a).compareTo(cursor(b));
        if (byCursor != 0) {
          return byCursor;
        }
      }
      return a.compareTo(b);
    }

    /** The cursor as an instant (sources differ in how they write offsets); missing or unreadable sorts first. */
    private Instant cursor(String record) {
      JsonNode value;
      try {
        value = JSON.readTree(record).path(cursorField);
      } catch (IOException e) {
        throw new IllegalArgumentException("a record is not valid JSON", e);
      }
      return value.isTextual() ? RecordConverter.parseTimestamp(value.asText()).orElse(Instant.MIN) : Instant.MIN;
    }
  }

  /**
   * After the staging load: creates the stream's table if needed (schema, partitioning, clustering), merges the
   * staging table into it, and drops the staging table.
   */
  static final class MergeStagingTable extends DoFn<KV<String, Iterable<TableDestination>>, String> {
    private final BigQuerySink sink;
    private final StreamDefinition stream;

    MergeStagingTable(BigQuerySink sink, StreamDefinition stream) {
      this.sink = sink;
      this.stream = stream;
    }

    @ProcessElement
    public void process(PipelineOptions options, OutputReceiver<String> out) throws Exception {
      BigQueryOptions bigQueryOptions = options.as(BigQueryOptions.class);
      BigQueryServices services = sink.servicesOrDefault();
      StreamSchema schema = StreamSchema.of(stream);
      TableReference target = sink.table(stream.name());
      MergeStatement statement = new MergeStatement(target, sink.stagingTableId(stream), stream.primaryKey(),
          schema.fields().stream().map(StreamSchema.Field::name).collect(Collectors.toList()));
      String jobProject = bigQueryOptions.getBigQueryProject() != null ? bigQueryOptions.getBigQueryProject()
          : bigQueryOptions.getProject() != null ? bigQueryOptions.getProject() : target.getProjectId();
      try (DatasetService datasets = services.getDatasetService(bigQueryOptions);
          JobService jobs = services.getJobService(bigQueryOptions)) {
        if (datasets.getTable(target) == null) {
          datasets.createTable(new Table()
              .setTableReference(target)
              .setSchema(schema.tableSchema())
              .setTimePartitioning(partitioning(stream))
              .setClustering(clustering(stream)));
        }
        sink.merge.apply(statement, jobProject, datasets, jobs);
        datasets.deleteTable(statement.staging());
      }
      out.output(BigQueryHelpers.toTableSpec(target));
    }
  }

}
