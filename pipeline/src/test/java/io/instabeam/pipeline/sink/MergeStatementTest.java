package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.services.bigquery.model.TableReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeStatementTest {
  private static final TableReference USER_INSIGHTS =
      new TableReference().setProjectId("p").setDatasetId("d").setTableId("user_insights");

  @Test
  void updatesMatchedKeysWithTheStagedRowAndInsertsNewKeys() {
    MergeStatement merge =
        new MergeStatement(
            USER_INSIGHTS,
            "user_insights__instabeam_staging_x",
            List.of("business_account_id", "date"),
            List.of("business_account_id", "date", "reach"));
    assertEquals(
        "MERGE `p.d.user_insights` AS target\n"
            + "USING `p.d.user_insights__instabeam_staging_x` AS source\n"
            + "ON target.`business_account_id` IS NOT DISTINCT FROM source.`business_account_id`"
            + " AND target.`date` IS NOT DISTINCT FROM source.`date`\n"
            + "WHEN MATCHED THEN UPDATE SET `business_account_id` = source.`business_account_id`,"
            + " `date` = source.`date`, `reach` = source.`reach`\n"
            + "WHEN NOT MATCHED THEN INSERT ROW",
        merge.sql());
  }

  @Test
  void theStagingTableLivesInTheTargetsDataset() {
    MergeStatement merge = new MergeStatement(USER_INSIGHTS, "s", List.of("date"), List.of("date"));
    assertEquals(
        new TableReference().setProjectId("p").setDatasetId("d").setTableId("s"), merge.staging());
  }

  @Test
  void aTableWithoutPrimaryKeyCannotBeMerged() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new MergeStatement(USER_INSIGHTS, "s", List.of(), List.of("date")));
  }
}
