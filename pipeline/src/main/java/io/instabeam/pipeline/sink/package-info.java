/**
 * Sinks: where a run's records go (JSONL or Parquet files, BigQuery). A sink publishes a stream's
 * records only once all of them are written, so a failed run never leaves half an output behind.
 */
package io.instabeam.pipeline.sink;
