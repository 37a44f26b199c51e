package io.instabeam.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * One stream of the catalog: its name (Airbyte's), primary key, cursor field, the sync modes it
 * supports, the field a table is partitioned by, and its JSON Schema.
 */
public final class StreamDefinition implements Serializable {
  private final String name;
  private final List<String> primaryKey;
  private final String cursorField;
  private final String partitionField;
  private final List<SyncMode> syncModes;
  private final SyncMode defaultSyncMode;
  private final boolean emptyIsNormal;

  StreamDefinition(
      String name,
      List<String> primaryKey,
      String cursorField,
      String partitionField,
      List<SyncMode> syncModes,
      SyncMode defaultSyncMode,
      boolean emptyIsNormal) {
    this.name = name;
    this.primaryKey = List.copyOf(primaryKey);
    this.cursorField = cursorField;
    this.partitionField = partitionField;
    this.syncModes = List.copyOf(syncModes);
    this.defaultSyncMode = defaultSyncMode;
    this.emptyIsNormal = emptyIsNormal;
  }

  public String name() {
    return name;
  }

  /**
   * Field names of the primary key; empty when the stream has none (story_insights, as in Airbyte).
   */
  public List<String> primaryKey() {
    return primaryKey;
  }

  /** The incremental cursor field, if the stream is incremental. */
  public Optional<String> cursorField() {
    return Optional.ofNullable(cursorField);
  }

  /** The timestamp field a table of this stream is partitioned by, if any. */
  public Optional<String> partitionField() {
    return Optional.ofNullable(partitionField);
  }

  public List<SyncMode> syncModes() {
    return syncModes;
  }

  public SyncMode defaultSyncMode() {
    return defaultSyncMode;
  }

  public boolean supports(SyncMode mode) {
    return syncModes.contains(mode);
  }

  /**
   * Whether a read without records is ordinary (stories live 24 hours), rather than a sign that the
   * token lost its accounts: sinks refuse to replace published records with nothing unless the
   * stream's emptiness is normal.
   */
  public boolean emptyIsNormal() {
    return emptyIsNormal;
  }

  public boolean isIncremental() {
    return cursorField != null;
  }

  /** The stream's JSON Schema (a fresh copy: callers may modify it). */
  public ObjectNode jsonSchema() {
    return StreamCatalog.loadSchema(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
