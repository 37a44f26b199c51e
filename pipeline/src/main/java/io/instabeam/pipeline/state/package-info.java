/**
 * Incremental state: the per-account watermarks of {@code user_insights}, read at start and written
 * atomically after the sink committed, in Airbyte's state format (its lock is in {@code
 * io.instabeam.pipeline.lock}).
 */
package io.instabeam.pipeline.state;
