package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Comments and replies, tagged and collaborative media, and Business Discovery: Meta's shapes,
 * nested paging, permissions and errors.
 */
class NewStreamsApiTest {
  static GraphApiEmulator emu;
  static GraphClient client;
  static IgUser user;

  @BeforeAll
  static void start() {
    emu = GraphApiEmulator.builder().seed(7).accounts(1).mediaPerAccount(200).build().start();
    client = new GraphClient(emu);
    user = emu.dataset().users().get(0);
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  /** The account's media with the most comments: its thread is longer than a nested page. */
  private static MediaItem busiest() {
    return emu.dataset().media(user.id()).stream()
        .max((a, b) -> Long.compare(a.commentsCount(), b.commentsCount()))
        .orElseThrow();
  }

  @Test
  void commentsCountIncludesRepliesAndEveryCommentIsOnTheCommentsOrARepliesEdge() {
    MediaItem media = busiest();
    List<String> ids = new ArrayList<>();
    String after = null;
    do {
      GraphClient.Reply page =
          client.get(
              "/v25.0/"
                  + media.id()
                  + "/comments?fields=id,text,timestamp,username,"
                  + "from,like_count,hidden,replies.limit(100){id,parent_id,text}&limit=100"
                  + (after == null ? "" : "&after=" + after));
      assertEquals(200, page.status(), page.body());
      for (JsonNode comment : page.json().get("data")) {
        ids.add(comment.get("id").asText());
        assertEquals(
            comment.get("username").asText(), comment.get("from").get("username").asText());
        comment
            .path("replies")
            .path("data")
            .forEach(
                reply -> {
                  assertEquals(comment.get("id").asText(), reply.get("parent_id").asText());
                  ids.add(reply.get("id").asText());
                });
      }
      after =
          page.json().path("paging").has("next")
              ? page.json().get("paging").get("cursors").get("after").asText()
              : null;
    } while (after != null);
    assertTrue(media.commentsCount() > 100, "the busiest media has more comments than a page");
    assertEquals(media.commentsCount(), ids.size());
    assertEquals(ids.size(), new HashSet<>(ids).size());
  }

  @Test
  void aTruncatedNestedThreadNamesTheEdgeThatContinuesIt() {
    MediaItem media = busiest();
    JsonNode page =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "/media?fields=id,comments.limit(5){id,replies.limit(2){id}}"
                    + "&limit=100")
            .json();
    JsonNode item = null;
    for (JsonNode m : page.get("data")) {
      if (m.get("id").asText().equals(media.id())) {
        item = m;
      }
    }
    JsonNode comments = item.get("comments");
    assertEquals(5, comments.get("data").size());
    String next = comments.get("paging").get("next").asText();
    assertTrue(next.contains("/" + media.id() + "/comments?"), next);
    String after = comments.get("paging").get("cursors").get("after").asText();
    JsonNode rest =
        client.get("/v25.0/" + media.id() + "/comments?fields=id&limit=5&after=" + after).json();
    assertFalse(
        rest.get("data")
            .get(0)
            .get("id")
            .asText()
            .equals(comments.get("data").get(4).get("id").asText()));
    Comment first = emu.dataset().comments(media).get(0);
    assertEquals(first.id(), comments.get("data").get(0).get("id").asText());
    int replies = emu.dataset().replies(first).size();
    if (replies > 2) {
      JsonNode nested = comments.get("data").get(0).get("replies");
      assertTrue(
          nested.get("paging").get("next").asText().contains("/" + first.id() + "/replies?"));
      JsonNode all =
          client.get("/v25.0/" + first.id() + "/replies?fields=id,parent_id&limit=100").json();
      assertEquals(replies, all.get("data").size());
    }
  }

  @Test
  void commentsNeedInstagramManageComments() {
    try (GraphApiEmulator bare =
        GraphApiEmulator.builder()
            .seed(7)
            .accounts(1)
            .mediaPerAccount(20)
            .permissions(
                Set.of(
                    "instagram_basic",
                    "instagram_manage_insights",
                    "pages_show_list",
                    "pages_read_engagement"))
            .build()
            .start()) {
      GraphClient c = new GraphClient(bare);
      String id = bare.dataset().users().get(0).id();
      GraphClient.Reply expanded = c.get("/v25.0/" + id + "/media?fields=id,comments{id}");
      assertEquals(10, expanded.error().get("code").asInt(), expanded.body());
      assertEquals(10, c.get("/v25.0/" + id + "/tags?fields=id").error().get("code").asInt());
      assertEquals(200, c.get("/v25.0/" + id + "/media?fields=id,comments_count").status());
      assertEquals(200, c.get("/v25.0/" + id + "/collaborative_media?fields=id").status());
    }
  }

  @Test
  void tagsAndCollaborativeMediaServeOtherCreatorsMediaWithPublicFields() {
    GraphClient.Reply tags =
        client.get(
            "/v25.0/"
                + user.id()
                + "/tags?fields=id,username,timestamp,like_count,"
                + "media_type,permalink&limit=100");
    assertEquals(200, tags.status(), tags.body());
    assertEquals(emu.dataset().tagged(user.id()).size(), tags.json().get("data").size());
    tags.json()
        .get("data")
        .forEach(m -> assertFalse(m.get("username").asText().equals(user.username())));
    GraphClient.Reply owner = client.get("/v25.0/" + user.id() + "/tags?fields=id,owner");
    assertEquals(100, owner.error().get("code").asInt());
    long before = emu.stats().calls(EndpointKind.USER_COLLABORATIVE_MEDIA);
    GraphClient.Reply collabs =
        client.get("/v25.0/" + user.id() + "/collaborative_media?fields=id,caption");
    assertEquals(emu.dataset().collaborations(user.id()).size(), collabs.json().get("data").size());
    assertEquals(before + 1, emu.stats().calls(EndpointKind.USER_COLLABORATIVE_MEDIA));
  }

  @Test
  void businessDiscoveryPagesTheNestedMediaByAfterCursorAndSpendsTheAppsBudget() {
    CompetitorProfile profile =
        emu.dataset().competitorUsernames().stream()
            .map(u -> emu.dataset().competitor(u).orElseThrow())
            .filter(p -> p.professional() && p.media().size() > 30)
            .findFirst()
            .orElseThrow();
    String fields =
        "business_discovery.username("
            + profile.username()
            + "){username,followers_count,media_count,"
            + "media.limit(30){id,timestamp,like_count,view_count,media_product_type}}";
    long before = emu.stats().calls(EndpointKind.BUSINESS_DISCOVERY);
    long accountCalls = emu.stats().callsByAccount().getOrDefault(user.id(), 0L);
    GraphClient.Reply first = client.get("/v25.0/" + user.id() + "?fields=" + fields);
    assertEquals(200, first.status(), first.body());
    JsonNode discovery = first.json().get("business_discovery");
    assertEquals(profile.id(), discovery.get("id").asText());
    assertEquals(profile.media().size(), discovery.get("media_count").asInt());
    JsonNode media = discovery.get("media");
    assertEquals(30, media.get("data").size());
    assertFalse(
        media.get("paging").has("next"), "nested Business Discovery pages carry cursors only");
    media
        .get("data")
        .forEach(
            m ->
                assertEquals(
                    "REELS".equals(m.get("media_product_type").asText()), m.has("view_count")));
    String after = media.get("paging").get("cursors").get("after").asText();
    JsonNode second =
        client
            .get(
                "/v25.0/"
                    + user.id()
                    + "?fields="
                    + fields.replace("media.limit(30)", "media.after(" + after + ").limit(30)"))
            .json()
            .get("business_discovery")
            .get("media");
    assertEquals(profile.media().get(30).id(), second.get("data").get(0).get("id").asText());
    assertEquals(before + 2, emu.stats().calls(EndpointKind.BUSINESS_DISCOVERY));
    assertEquals(
        accountCalls,
        emu.stats().callsByAccount().getOrDefault(user.id(), 0L),
        "Platform limits, not BUC");
  }

  @Test
  void businessDiscoveryRefusesAPersonalProfileLikeAnUnknownOne() {
    String personal =
        emu.dataset().competitorUsernames().stream()
            .filter(u -> !emu.dataset().competitor(u).orElseThrow().professional())
            .findFirst()
            .orElseThrow();
    for (String username : List.of(personal, "no_such_user_anywhere")) {
      GraphClient.Reply reply =
          client.get(
              "/v25.0/"
                  + user.id()
                  + "?fields=business_discovery.username("
                  + username
                  + "){username}");
      assertEquals(400, reply.status());
      assertEquals(110, reply.error().get("code").asInt());
      assertEquals(2207013, reply.error().get("error_subcode").asInt());
    }
  }
}
