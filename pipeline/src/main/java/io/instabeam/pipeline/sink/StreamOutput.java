package io.instabeam.pipeline.sink;

import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.SyncMode;
import org.apache.beam.sdk.values.PCollection;

/**
 * One stream's records of a run, as JSON objects (one per element, Airbyte's record shape), and how
 * they combine with what earlier runs wrote.
 */
public record StreamOutput(
    StreamDefinition stream, SyncMode syncMode, PCollection<String> records) {}
