package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.instabeam.schemas.SyncMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --syncMode}: one mode for every stream, or modes per stream; full-refresh streams refuse
 * incremental ones.
 */
class SyncModeOptionTest {
  @Test
  void defaultsAreIncrementalAppendForUserInsightsAndOverwriteForTheRest() {
    Map<String, SyncMode> modes =
        JobConfig.parseSyncModes(null, JobConfig.parseStreams("users,user_insights"));
    assertEquals(
        Map.of(
            "users", SyncMode.FULL_REFRESH_OVERWRITE, "user_insights", SyncMode.INCREMENTAL_APPEND),
        modes);
  }

  @Test
  void aModePerStreamSetsOnlyThatStream() {
    Map<String, SyncMode> modes =
        JobConfig.parseSyncModes(
            "user_insights:incremental_append_deduped,users:full_refresh_append",
            JobConfig.parseStreams("users,user_insights"));
    assertEquals(
        Map.of(
            "users",
            SyncMode.FULL_REFRESH_APPEND,
            "user_insights",
            SyncMode.INCREMENTAL_APPEND_DEDUPED),
        modes);
  }

  @Test
  void anIncrementalModeForAFullRefreshStreamIsRefusedWithTheFix() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                JobConfig.parseSyncModes(
                    "incremental_append", JobConfig.parseStreams("users,user_insights")));
    assertTrue(
        e.getMessage()
                .contains(
                    "stream users supports only [full_refresh_overwrite, full_refresh_append]")
            && e.getMessage().contains("--syncMode=user_insights:incremental_append"),
        e.getMessage());
    assertThrows(
        ConfigException.class,
        () ->
            JobConfig.parseSyncModes(
                "users:incremental_append_deduped", JobConfig.parseStreams("users")));
  }

  @Test
  void aModeForAStreamTheRunDoesNotReadIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                JobConfig.parseSyncModes(
                    "media:full_refresh_append", JobConfig.parseStreams("user_insights")));
    assertTrue(e.getMessage().contains("not in --streams"), e.getMessage());
  }

  @Test
  void anUnknownModeNamesTheValidOnes() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> JobConfig.parseSyncModes("append", JobConfig.parseStreams("user_insights")));
    assertTrue(e.getMessage().contains("incremental_append_deduped"), e.getMessage());
  }
}
