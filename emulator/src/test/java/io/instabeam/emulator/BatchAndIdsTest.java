package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchAndIdsTest {
  static GraphApiEmulator emu;
  static GraphClient client;
  static IgUser user;

  @BeforeAll
  static void start() {
    emu =
        GraphApiEmulator.builder()
            .seed(21)
            .accounts(2)
            .mediaPerAccount(30)
            .now(Instant.parse("2026-11-29T12:00:00Z"))
            .build()
            .start();
    client = new GraphClient(emu);
    user = emu.dataset().users().get(0);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @Test
  void batchAnswersEachSubRequestInOrder() throws Exception {
    MediaItem m = emu.dataset().media(user.id()).get(0);
    String batch =
        "[{\"method\":\"GET\",\"relative_url\":\"v23.0/"
            + m.id()
            + "/insights?metric=reach\"},"
            + "{\"method\":\"GET\",\"relative_url\":\"/"
            + user.id()
            + "?fields=username\"},"
            + "{\"method\":\"GET\",\"relative_url\":\""
            + user.id()
            + "/media?fields=id&limit=2\"},"
            + "{\"method\":\"GET\",\"relative_url\":\"/v23.0/404404\"}]";
    for (String path : List.of("/", "/v23.0/", "/v23.0")) {
      GraphClient.Reply r = client.postForm(path, "batch", batch, "include_headers", "false");
      assertEquals(200, r.status(), r.body());
      JsonNode answers = r.json();
      assertEquals(4, answers.size());
      assertEquals(200, answers.get(0).get("code").asInt());
      JsonNode header = answers.get(0).get("headers").get(0);
      assertEquals("Content-Type", header.get("name").asText());
      JsonNode insights = GraphClient.MAPPER.readTree(answers.get(0).get("body").asText());
      assertEquals(
          emu.dataset().mediaInsight(m, "reach"),
          insights.get("data").get(0).get("values").get(0).get("value").asLong());
      assertEquals(
          user.username(),
          GraphClient.MAPPER
              .readTree(answers.get(1).get("body").asText())
              .get("username")
              .asText());
      assertEquals(
          2, GraphClient.MAPPER.readTree(answers.get(2).get("body").asText()).get("data").size());
      assertEquals(400, answers.get(3).get("code").asInt());
      assertEquals(
          33,
          GraphClient.MAPPER
              .readTree(answers.get(3).get("body").asText())
              .get("error")
              .get("error_subcode")
              .asInt());
    }
    List<RecordedRequest> subs = emu.requests().stream().filter(RecordedRequest::batched).toList();
    assertTrue(
        subs.stream()
            .anyMatch(
                r ->
                    r.path().equals("/" + m.id() + "/insights")
                        && r.kind().equals("media/insights")
                        && r.accountId().equals(user.id())));
  }

  @Test
  void batchOfMoreThan50IsRejected() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"method\":\"GET\",\"relative_url\":\"me/permissions\"}");
    }
    GraphClient.Reply r = client.postForm("/", "batch", sb.append("]").toString());
    assertEquals(400, r.status());
    assertEquals(100, r.error().get("code").asInt());
    assertTrue(
        r.error().get("message").asText().contains("batch")
            && r.error().get("message").asText().contains("limit is 50"));
    GraphClient.Reply bad = client.postForm("/", "batch", "not json");
    assertEquals(100, bad.error().get("code").asInt());
    assertEquals(
        190, client.withToken("nope").postForm("/", "batch", "[]").error().get("code").asInt());
  }

  @Test
  void idsReturnsAMapOfObjects() {
    MediaItem a = emu.dataset().media(user.id()).get(0);
    MediaItem b = emu.dataset().media(user.id()).get(1);
    GraphClient.Reply r =
        client.get("/v23.0/?ids=" + a.id() + "," + b.id() + "," + user.id() + "&fields=id");
    assertEquals(200, r.status(), r.body());
    assertEquals(3, r.json().size());
    assertEquals(a.id(), r.json().get(a.id()).get("id").asText());
    assertEquals(user.id(), r.json().get(user.id()).get("id").asText());
    JsonNode withFields =
        client.get("/?ids=" + a.id() + "&fields=media_type,timestamp").json().get(a.id());
    assertEquals(a.mediaType(), withFields.get("media_type").asText());
    GraphClient.Reply missing = client.get("/v23.0/?ids=" + a.id() + ",123");
    assertEquals(400, missing.status());
    assertEquals(803, missing.error().get("code").asInt());
    assertEquals(
        "(#803) Some of the aliases you requested do not exist: 123",
        missing.error().get("message").asText());
  }
}
