package io.instabeam.pipeline.sink;

import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import java.io.IOException;
import java.io.Serializable;
import java.util.UUID;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.DatasetService;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;

/**
 * Applies a {@link MergeStatement}. The production form runs it as a BigQuery query job; it is an
 * interface because Beam's fake job service cannot run SQL, so the tests substitute an in-memory
 * merge with the same semantics while everything around it (staging load, table creation, staging
 * clean-up) runs against Beam's fakes.
 */
public interface StagedTableMerge extends Serializable {

  void apply(MergeStatement merge, String jobProject, DatasetService datasets, JobService jobs)
      throws IOException, InterruptedException;

  /**
   * Runs the MERGE as a GoogleSQL query job and waits for it; a failed job fails the bundle (Beam
   * retries it).
   */
  static StagedTableMerge queryJob() {
    return new QueryJob();
  }

  /** The production merge: a query job. */
  final class QueryJob implements StagedTableMerge {
    private static final long serialVersionUID = 1L;

    @Override
    public void apply(
        MergeStatement merge, String jobProject, DatasetService datasets, JobService jobs)
        throws IOException, InterruptedException {
      JobReference ref =
          new JobReference()
              .setProjectId(jobProject)
              .setJobId(
                  "instabeam_merge_"
                      + merge.target().getTableId()
                      + "_"
                      + UUID.randomUUID().toString().replace("-", ""));
      jobs.startQueryJob(
          ref, new JobConfigurationQuery().setQuery(merge.sql()).setUseLegacySql(false));
      BigQueryJobs.awaitSuccess(jobs, ref, "MERGE into " + merge.target().getTableId());
    }
  }
}
