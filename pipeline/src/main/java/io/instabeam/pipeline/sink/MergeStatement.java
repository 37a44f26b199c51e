package io.instabeam.pipeline.sink;

import com.google.api.services.bigquery.model.TableReference;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The GoogleSQL {@code MERGE} that folds a run's staging table into a stream's table by primary
 * key: a staged row replaces the table's row with the same key (the run's data is the newest), a
 * staged row with a new key is inserted, and rows the run did not see are left alone. The staging
 * table holds one row per key already (the sink keeps the newest record per key before loading), as
 * {@code MERGE} requires.
 */
public final class MergeStatement implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String targetProject;
  private final String targetDataset;
  private final String targetTable;
  private final String stagingTable;
  private final List<String> primaryKey;
  private final List<String> columns;

  MergeStatement(
      TableReference target, String stagingTable, List<String> primaryKey, List<String> columns) {
    if (primaryKey.isEmpty()) {
      throw new IllegalArgumentException(
          "table " + target.getTableId() + " has no primary key to merge by");
    }
    this.targetProject = target.getProjectId();
    this.targetDataset = target.getDatasetId();
    this.targetTable = target.getTableId();
    this.stagingTable = stagingTable;
    this.primaryKey = List.copyOf(primaryKey);
    this.columns = List.copyOf(columns);
  }

  public TableReference target() {
    return new TableReference()
        .setProjectId(targetProject)
        .setDatasetId(targetDataset)
        .setTableId(targetTable);
  }

  public TableReference staging() {
    return new TableReference()
        .setProjectId(targetProject)
        .setDatasetId(targetDataset)
        .setTableId(stagingTable);
  }

  public List<String> primaryKey() {
    return primaryKey;
  }

  /**
   * The statement's text. Keys compare with IS NOT DISTINCT FROM so that a null key part still
   * matches itself.
   */
  public String sql() {
    String on =
        primaryKey.stream()
            .map(k -> "target." + quote(k) + " IS NOT DISTINCT FROM source." + quote(k))
            .collect(Collectors.joining(" AND "));
    String set =
        columns.stream()
            .map(c -> quote(c) + " = source." + quote(c))
            .collect(Collectors.joining(", "));
    return "MERGE "
        + qualified(targetTable)
        + " AS target\n"
        + "USING "
        + qualified(stagingTable)
        + " AS source\n"
        + "ON "
        + on
        + "\n"
        + "WHEN MATCHED THEN UPDATE SET "
        + set
        + "\n"
        + "WHEN NOT MATCHED THEN INSERT ROW";
  }

  private String qualified(String table) {
    return "`" + targetProject + "." + targetDataset + "." + table + "`";
  }

  private static String quote(String column) {
    return "`" + column + "`";
  }

  @Override
  public String toString() {
    return sql();
  }
}
