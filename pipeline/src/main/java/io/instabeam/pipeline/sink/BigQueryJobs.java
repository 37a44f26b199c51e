package io.instabeam.pipeline.sink;

import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobReference;
import java.io.IOException;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices.JobService;

/** The BigQuery jobs the sink starts (copy, MERGE, DDL) are awaited here. */
final class BigQueryJobs {
  private BigQueryJobs() {}

  /**
   * Waits for the job {@code ref}; fails, saying {@code what} failed, unless it succeeded.
   *
   * @param what the job in words, e.g. {@code "MERGE into media"}
   */
  static void awaitSuccess(JobService jobs, JobReference ref, String what)
      throws IOException, InterruptedException {
    Job job = jobs.pollJob(ref, Integer.MAX_VALUE);
    if (job == null || job.getStatus() == null || job.getStatus().getErrorResult() != null) {
      throw new IOException(
          what
              + " failed (job "
              + ref.getJobId()
              + "): "
              + (job == null || job.getStatus() == null
                  ? "no status"
                  : job.getStatus().getErrorResult()));
    }
  }
}
