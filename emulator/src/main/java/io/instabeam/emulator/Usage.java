package io.instabeam.emulator;

/**
 * Usage of one rate budget, in Meta's whole-number percentages, as reported in {@code X-App-Usage}
 * and {@code X-Business-Use-Case-Usage}; {@code estimatedTimeToRegainAccess} is in minutes (0 when
 * not blocked).
 */
public record Usage(
    int callCount, int totalCputime, int totalTime, int estimatedTimeToRegainAccess) {}
