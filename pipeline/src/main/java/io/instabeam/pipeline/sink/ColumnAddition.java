package io.instabeam.pipeline.sink;

import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableSchema;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;

/**
 * Adds the columns a stream's schema has gained (a new metric, a new field) to an existing table
 * before a run commits into it, so the commit's copy job or {@code MERGE} finds them and an older
 * table keeps loading. Every column instabeam adds is nullable or repeated, which BigQuery allows
 * adding to a table that holds data; existing rows read null. Copy jobs take no schema update
 * options (load and query jobs do), so the columns are added first.
 *
 * <p>The production form runs {@code ALTER TABLE … ADD COLUMN IF NOT EXISTS …} as a query job (DDL
 * costs nothing); it is an interface because Beam's fake job service cannot run SQL, so tests add
 * the columns through the fake dataset service, with the same result.
 */
public interface ColumnAddition extends Serializable {

  void add(
      TableReference table,
      List<TableFieldSchema> columns,
      String jobProject,
      DatasetService datasets,
      JobService jobs)
      throws IOException, InterruptedException;

  /**
   * The top-level columns of {@code wanted} that {@code current} lacks (BigQuery names are
   * case-insensitive).
   */
  static List<TableFieldSchema> missing(TableSchema current, TableSchema wanted) {
    Set<String> present =
        current.getFields() == null
            ? Set.of()
            : current.getFields().stream()
                .map(f -> f.getName().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    return wanted.getFields().stream()
        .filter(f -> !present.contains(f.getName().toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** {@code ALTER TABLE `p.d.t` ADD COLUMN IF NOT EXISTS `views` INT64, …}. */
  static String sql(TableReference table, List<TableFieldSchema> columns) {
    return "ALTER TABLE `"
        + table.getProjectId()
        + "."
        + table.getDatasetId()
        + "."
        + table.getTableId()
        + "` "
        + columns.stream()
            .map(c -> "ADD COLUMN IF NOT EXISTS `" + c.getName() + "` " + sqlType(c))
            .collect(Collectors.joining(", "));
  }

  /**
   * GoogleSQL type of a column: {@code INT64}, {@code STRUCT<…>}, {@code ARRAY<STRUCT<…>>} for
   * repeated ones.
   */
  static String sqlType(TableFieldSchema column) {
    String type =
        "RECORD".equals(column.getType()) || "STRUCT".equals(column.getType())
            ? "STRUCT<"
                + column.getFields().stream()
                    .map(f -> "`" + f.getName() + "` " + sqlType(f))
                    .collect(Collectors.joining(", "))
                + ">"
            : column.getType();
    return "REPEATED".equals(column.getMode()) ? "ARRAY<" + type + ">" : type;
  }

  /** The production addition: a DDL query job. */
  static ColumnAddition ddl() {
    return new Ddl();
  }

  final class Ddl implements ColumnAddition {
    private static final long serialVersionUID = 1L;

    @Override
    public void add(
        TableReference table,
        List<TableFieldSchema> columns,
        String jobProject,
        DatasetService datasets,
        JobService jobs)
        throws IOException, InterruptedException {
      JobReference ref =
          new JobReference()
              .setProjectId(jobProject)
              .setJobId(
                  "instabeam_columns_"
                      + table.getTableId()
                      + "_"
                      + UUID.randomUUID().toString().replace("-", ""));
      jobs.startQueryJob(
          ref, new JobConfigurationQuery().setQuery(sql(table, columns)).setUseLegacySql(false));
      BigQueryJobs.awaitSuccess(jobs, ref, "adding columns to " + table.getTableId());
    }
  }
}
