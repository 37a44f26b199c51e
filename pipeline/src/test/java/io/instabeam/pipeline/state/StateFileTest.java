package io.instabeam.pipeline.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.instabeam.pipeline.ConfigException;
import io.instabeam.schemas.StreamCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file's formats: what it accepts from Airbyte, what it refuses, and what it writes. */
class StateFileTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PER_STREAM_STATE =
      "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"user_insights\"},"
          + "\"stream_state\":{\"states\":[{\"partition\":{\"business_account_id\":\"17841400000000000\"},"
          + "\"cursor\":{\"date\":\"2025-06-28T07:00:00+00:00\"}}]}}}]";

  @TempDir Path dir;

  @Test
  void readsTheDesignFormat() {
    assertEquals(
        Map.of("17841400000000000", Instant.parse("2025-06-28T07:00:00Z")),
        StateFile.parse(PER_STREAM_STATE, "s").watermarks(StreamCatalog.USER_INSIGHTS));
  }

  @Test
  void readsAirbytesSampleStreamStateWithItsBookkeepingFields() {
    String sample =
        "{\"use_global_cursor\":false,\"states\":[{\"partition\":{\"business_account_id\":\"1784\"},"
            + "\"cursor\":{\"date\":\"2025-06-28T07:00:00+00:00\"}}],\"state\":{\"date\":\"2025-06-28T07:00:00+00:00\"},"
            + "\"lookback_window\":4,\"parent_state\":{}}";
    assertEquals(
        Map.of("1784", Instant.parse("2025-06-28T07:00:00Z")),
        StateFile.parse(sample, "s").watermarks(StreamCatalog.USER_INSIGHTS));
  }

  @Test
  void readsTheLegacyFormBareAndInsideAStreamMessage() {
    String legacy =
        "{\"1784\":{\"date\":\"2025-06-28T07:00:00+00:00\"},\"1785\":{\"date\":\"2025-06-27T00:00:00Z\"}}";
    Map<String, Instant> expected =
        Map.of(
            "1784",
            Instant.parse("2025-06-28T07:00:00Z"),
            "1785",
            Instant.parse("2025-06-27T00:00:00Z"));
    assertEquals(expected, StateFile.parse(legacy, "s").watermarks(StreamCatalog.USER_INSIGHTS));
    String wrapped =
        "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"user_insights\"},"
            + "\"stream_state\":"
            + legacy
            + "}}]";
    assertEquals(expected, StateFile.parse(wrapped, "s").watermarks(StreamCatalog.USER_INSIGHTS));
  }

  @Test
  void readsTheCamelCaseFormOfAirbytesApiAndReplacesItWhenWriting() throws Exception {
    String camel =
        "[{\"streamDescriptor\":{\"name\":\"user_insights\"},\"streamState\":{\"states\":[{\"partition\":"
            + "{\"business_account_id\":\"1784\"},\"cursor\":{\"date\":\"2025-06-28T07:00:00+00:00\"}}]}}]";
    StateFile state = StateFile.parse(camel, "s");
    assertEquals(
        Map.of("1784", Instant.parse("2025-06-28T07:00:00Z")),
        state.watermarks(StreamCatalog.USER_INSIGHTS));
    JsonNode written = JSON.readTree(state.toJson());
    assertEquals(1, written.size(), "one user_insights message, not the old one beside the new");
  }

  @Test
  void writesCursorsInAirbytesFormatSoTheStateCanGoBack() throws Exception {
    StateFile state = StateFile.parse("{\"1784\":{\"date\":\"2025-06-27T00:00:00Z\"}}", "s");
    JsonNode written = JSON.readTree(state.toJson());
    assertEquals(
        JSON.readTree(
            "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"user_insights\"},"
                + "\"stream_state\":{\"states\":[{\"partition\":{\"business_account_id\":\"1784\"},"
                + "\"cursor\":{\"date\":\"2025-06-27T00:00:00+00:00\"}}]}}}]"),
        written);
  }

  @Test
  void keepsOtherStreamsMessagesAsTheyWere() throws Exception {
    String users =
        "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},\"stream_state\":{\"x\":1}}}";
    StateFile state = StateFile.parse("[" + users + "," + PER_STREAM_STATE.substring(1), "s");
    JsonNode written =
        JSON.readTree(
            state
                .advancedBy(
                    StreamCatalog.USER_INSIGHTS,
                    Map.of("17841400000000000", "2025-06-30T07:00:00+00:00"))
                .toJson());
    assertEquals(JSON.readTree(users), written.get(0));
    assertEquals(
        "2025-06-30T07:00:00+00:00",
        written.get(1).at("/stream/stream_state/states/0/cursor/date").asText());
  }

  @Test
  void airbytesEmptyStateOfAFullRefreshStreamIsNoCursorAndIsKept() throws Exception {
    String media =
        "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"media\"},"
            + "\"stream_state\":{}}}";
    StateFile state = StateFile.parse("[" + media + "]", "s");
    assertEquals(Map.of(), state.watermarks(StreamCatalog.MEDIA));
    assertEquals(JSON.readTree("[" + media + "]"), JSON.readTree(state.toJson()));
  }

  @Test
  void keepsEachPostsEngagementBesideTheMediaInsightsCursor() throws Exception {
    String text =
        "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"media_insights\"},"
            + "\"stream_state\":{\"states\":[{\"partition\":{\"business_account_id\":\"1784\"},"
            + "\"cursor\":{\"insights_read_at\":\"2026-03-10T06:00:00+00:00\"},\"engagement\":{\"18a\":\"5,1\"}}]}}}]";
    StateFile state = StateFile.parse(text, "s");
    assertEquals(
        Map.of("1784", Map.of("18a", "5,1")), state.engagement(StreamCatalog.MEDIA_INSIGHTS));
    assertEquals(JSON.readTree(text), JSON.readTree(state.toJson()), "written back as read");
    StateFile next =
        state
            .advancedBy(StreamCatalog.MEDIA_INSIGHTS, Map.of("1784", "2026-03-11T06:00:00+00:00"))
            .remembering(
                StreamCatalog.MEDIA_INSIGHTS, Map.of("1784", List.of("18a=6,1", "18b=0,0")));
    assertEquals(
        Map.of("1784", Map.of("18a", "6,1", "18b", "0,0")),
        StateFile.parse(next.toJson(), "s").engagement(StreamCatalog.MEDIA_INSIGHTS));
    assertEquals(
        Instant.parse("2026-03-11T06:00:00Z"),
        StateFile.parse(next.toJson(), "s").watermarks(StreamCatalog.MEDIA_INSIGHTS).get("1784"));
  }

  @Test
  void advancingNeverMovesAWatermarkBack() {
    StateFile state =
        StateFile.parse(PER_STREAM_STATE, "s")
            .advancedBy(
                StreamCatalog.USER_INSIGHTS,
                Map.of(
                    "17841400000000000",
                    "2025-06-01T07:00:00+00:00",
                    "new",
                    "2025-06-02T07:00:00+00:00"));
    assertEquals(
        Instant.parse("2025-06-28T07:00:00Z"),
        state.watermarks(StreamCatalog.USER_INSIGHTS).get("17841400000000000"));
    assertEquals(
        Instant.parse("2025-06-02T07:00:00Z"),
        state.watermarks(StreamCatalog.USER_INSIGHTS).get("new"));
  }

  @Test
  void malformedStatesAreConfigErrorsThatSayWhat() {
    assertMalformed("not json", "not JSON");
    assertMalformed("", "empty");
    assertMalformed("[1]", "number");
    assertMalformed("\"text\"", "expected a JSON array");
    assertMalformed("{\"1784\":{\"day\":\"2025-06-28\"}}", "'1784' has no date");
    assertMalformed("{\"1784\":{\"date\":\"28/06/2025\"}}", "28/06/2025");
    assertMalformed(
        "{\"states\":[{\"partition\":{},\"cursor\":{\"date\":\"2025-06-28T07:00:00+00:00\"}}]}",
        "business_account_id");
    assertMalformed("{\"states\":{}}", "not an array");
  }

  @Test
  void aMissingFileIsAFirstRun() {
    assertTrue(
        StateFile.read(dir.resolve("none.json").toString())
            .watermarks(StreamCatalog.USER_INSIGHTS)
            .isEmpty());
  }

  @Test
  void writingReplacesTheFileWholeAndLeavesNoTemporaryFile() throws Exception {
    Path path = dir.resolve("state.json");
    Files.writeString(path, PER_STREAM_STATE);
    StateFile.read(path.toString())
        .advancedBy(
            StreamCatalog.USER_INSIGHTS, Map.of("17841400000000000", "2025-06-29T07:00:00+00:00"))
        .write(path.toString(), "run-1");
    assertEquals(
        Instant.parse("2025-06-29T07:00:00Z"),
        StateFile.read(path.toString())
            .watermarks(StreamCatalog.USER_INSIGHTS)
            .get("17841400000000000"));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only state.json");
    }
  }

  private static void assertMalformed(String text, String detail) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> StateFile.parse(text, "/tmp/state.json"));
    assertTrue(
        e.getMessage().contains("malformed") && e.getMessage().contains(detail), e.getMessage());
    assertTrue(
        e.getMessage().contains("--state") || e.getMessage().contains("state"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
