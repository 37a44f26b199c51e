package io.instabeam.pipeline.lock;

import java.io.IOException;
import java.time.Instant;

/**
 * Where a lock is kept, with the few operations a lock needs, each of them conditional so that two
 * runs acting at the same moment cannot both succeed: create only if absent, replace or delete only
 * what was read.
 */
interface LockStore {
  /** What is stored: the text, the version it was read at, and when it was last written. */
  record Stored(String text, long generation, Instant modified) {}

  /** The lock as stored now, or null if there is none. */
  Stored read() throws IOException;

  /** Creates the lock with {@code text} if there is none; null if one exists. */
  Stored create(String text) throws IOException;

  /**
   * Replaces {@code expected} with {@code text}; null if the lock is no longer what was read (or is
   * gone).
   */
  Stored replace(Stored expected, String text) throws IOException;

  /** Deletes the lock if it is still {@code expected}; false if it changed or is gone. */
  boolean delete(Stored expected) throws IOException;

  /** The lock's path, for messages. */
  String path();
}
