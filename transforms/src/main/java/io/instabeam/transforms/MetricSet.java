package io.instabeam.transforms;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which metrics and fields the job requests ({@code --metricSet}): {@code current}, every metric
 * and field Meta documents for an object's kind today, or {@code airbyte}, exactly what Airbyte's
 * connector requests (records byte for byte as Airbyte's). {@link MetricCatalog} holds both.
 */
public enum MetricSet {
  CURRENT,
  AIRBYTE;

  /** The option's spelling: {@code current}, {@code airbyte}. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The set named {@code value}; an unknown name is an error that lists the valid ones. */
  public static MetricSet fromOption(String value) {
    return Arrays.stream(values())
        .filter(set -> set.optionValue().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown metric set '" + value + "'; use current or airbyte"));
  }

  @Override
  public String toString() {
    return optionValue();
  }
}
