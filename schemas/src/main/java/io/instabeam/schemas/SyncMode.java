package io.instabeam.schemas;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a run's records combine with what earlier runs wrote; the names are Airbyte's. */
public enum SyncMode {
  FULL_REFRESH_OVERWRITE("full_refresh_overwrite"),
  FULL_REFRESH_APPEND("full_refresh_append"),
  INCREMENTAL_APPEND("incremental_append"),
  INCREMENTAL_APPEND_DEDUPED("incremental_append_deduped");

  private final String optionValue;

  SyncMode(String optionValue) {
    this.optionValue = optionValue;
  }

  public String optionValue() {
    return optionValue;
  }

  public boolean isIncremental() {
    return this == INCREMENTAL_APPEND || this == INCREMENTAL_APPEND_DEDUPED;
  }

  /** True when the run replaces what a stream held before, false when it adds to it. */
  public boolean replacesData() {
    return this == FULL_REFRESH_OVERWRITE;
  }

  public static SyncMode fromOption(String value) {
    for (SyncMode mode : values()) {
      if (mode.optionValue.equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown sync mode '"
            + value
            + "'; use one of "
            + Arrays.stream(values()).map(SyncMode::optionValue).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return optionValue;
  }
}
