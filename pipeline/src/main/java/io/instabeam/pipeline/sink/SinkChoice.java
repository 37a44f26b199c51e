package io.instabeam.pipeline.sink;

import io.instabeam.pipeline.ConfigException;
import io.instabeam.schemas.SyncMode;
import java.util.Map;

/**
 * Where a run's records go, from {@code --sink}, {@code --format}, {@code --output}, {@code
 * --bigQueryDataset}, {@code --tempLocation} and {@code --allowEmpty}: each of them checked here,
 * once, before any work.
 */
public sealed interface SinkChoice {
  /** The sink of run {@code runId}. */
  RecordSink open(String runId);

  /**
   * The folder the run's output lock guards and that must be writable; null when there is none
   * (BigQuery).
   */
  String folder();

  /** Files under {@code output} (a folder or {@code gs://} prefix). */
  record Files(String output, FileFormat format, boolean allowEmpty) implements SinkChoice {
    @Override
    public RecordSink open(String runId) {
      return new FilesSink(output, format, runId).allowingEmptyStreams(allowEmpty);
    }

    @Override
    public String folder() {
      return output;
    }
  }

  /** Tables in BigQuery dataset {@code project:dataset}. */
  record BigQuery(String project, String dataset) implements SinkChoice {
    /**
     * {@code PROJECT:DATASET} ({@code PROJECT.DATASET} works too), with BigQuery's rules for the
     * names: a project id is 6 to 30 lowercase letters, digits and hyphens; a dataset name is
     * letters, digits and underscores.
     */
    public static BigQuery parse(String spec) {
      String[] parts = spec == null ? new String[0] : spec.trim().split("[:.]", -1);
      if (parts.length != 2
          || !parts[0].matches("[a-z][a-z0-9-]{4,28}[a-z0-9]")
          || !parts[1].matches("[A-Za-z0-9_]{1,1024}")) {
        throw ConfigException.of(
            "bigQueryDataset",
            String.valueOf(spec),
            "the bigquery sink needs --bigQueryDataset=PROJECT:DATASET, e.g. my-project:instagram");
      }
      return new BigQuery(parts[0], parts[1]);
    }

    @Override
    public RecordSink open(String runId) {
      return BigQuerySink.to(this);
    }

    @Override
    public String folder() {
      return null;
    }

    @Override
    public String toString() {
      return project + ":" + dataset;
    }
  }

  /**
   * The sink the options choose; a bad combination is a {@link ConfigException} naming the option
   * and the fix.
   */
  public static SinkChoice of(
      String sink,
      String format,
      String output,
      String bigQueryDataset,
      String tempLocation,
      boolean allowEmpty,
      Map<String, SyncMode> syncModes) {
    switch (ConfigException.oneOf("sink", sink, "files", "bigquery")) {
      case "bigquery":
        BigQuery tables = BigQuery.parse(bigQueryDataset);
        if (tempLocation == null || !tempLocation.startsWith("gs://")) {
          throw ConfigException.of(
              "tempLocation",
              String.valueOf(tempLocation),
              "the bigquery sink loads files through Cloud Storage: give --tempLocation=gs://BUCKET/tmp");
        }
        return tables;
      default:
        FileFormat fileFormat =
            FileFormat.fromOption(ConfigException.oneOf("format", format, "jsonl", "parquet"));
        syncModes.forEach(
            (stream, mode) -> {
              if (mode == SyncMode.INCREMENTAL_APPEND_DEDUPED && !fileFormat.supportsDedup()) {
                throw ConfigException.of(
                    "syncMode",
                    mode.optionValue(),
                    "incremental_append_deduped needs --format=jsonl "
                        + "or --sink=bigquery (published Parquet files are not read back); use incremental_append for Parquet");
              }
            });
        return new Files(output, fileFormat, allowEmpty);
    }
  }
}
