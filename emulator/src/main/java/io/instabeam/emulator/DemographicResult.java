package io.instabeam.emulator;

import java.util.List;

/** One {@code total_value.breakdowns[0].results[]} entry of {@code follower_demographics}. */
public record DemographicResult(List<String> dimensionValues, long value) {}
