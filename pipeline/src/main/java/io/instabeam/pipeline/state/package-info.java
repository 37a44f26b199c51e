/**
 * Incremental state: the per-account watermarks of {@code user_insights}, read at start and written atomically
 * after the sink committed, in Airbyte's state format; and the lock that keeps two runs off one state file.
 */
package io.instabeam.pipeline.state;
