package io.instabeam.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private static List<String> session(long seed) {
    List<String> bodies = new ArrayList<>();
    try (GraphApiEmulator emu =
        GraphApiEmulator.builder()
            .seed(seed)
            .accounts(2)
            .pagesWithoutInstagram(1)
            .mediaPerAccount(60)
            .storiesPerAccount(4)
            .now(NOW)
            .callsPerWindow(500)
            .build()
            .start()) {
      GraphClient c = new GraphClient(emu);
      IgUser u = emu.dataset().users().get(0);
      List<String> paths =
          new ArrayList<>(
              List.of(
                  "/v23.0/me/accounts?fields=id,name,instagram_business_account&limit=100",
                  "/v23.0/"
                      + u.id()
                      + "?fields=id,biography,ig_id,followers_count,follows_count,media_count,name,profile_picture_url,username,website",
                  "/v23.0/"
                      + u.id()
                      + "/media?fields="
                      + MediaEdgeTest.AIRBYTE_MEDIA_FIELDS
                      + "&limit=100",
                  "/v23.0/"
                      + u.id()
                      + "/stories?fields=id,media_type,media_url,timestamp&limit=100",
                  "/v23.0/"
                      + u.id()
                      + "/insights?metric=follower_count,reach&period=day&since="
                      + (NOW.getEpochSecond() - 86400 * 5)
                      + "&until="
                      + NOW.getEpochSecond(),
                  "/v23.0/"
                      + u.id()
                      + "/insights?metric=follower_demographics&period=lifetime&metric_type=total_value&breakdown=city",
                  "/v23.0/404"));
      for (int i = 0; i < 10; i++) {
        paths.add(
            "/v23.0/" + emu.dataset().media(u.id()).get(i).id() + "/insights?metric=reach,saved");
      }
      for (String p : paths) {
        GraphClient.Reply r = c.get(p);
        // paging links name the emulator's own (ephemeral) port; everything else must be identical
        bodies.add(
            r.status()
                + " "
                + r.header("X-Business-Use-Case-Usage")
                + " "
                + r.body().replace(emu.baseUrl(), "BASE"));
      }
    }
    return bodies;
  }

  @Test
  void sameSeedGivesByteIdenticalResponses() {
    List<String> a = session(42);
    List<String> b = session(42);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), "response " + i);
    }
  }

  @Test
  void differentSeedGivesDifferentData() {
    List<String> a = session(42);
    List<String> b = session(43);
    for (int i = 0; i < 6; i++) {
      assertNotEquals(a.get(i), b.get(i));
    }
    GraphApiEmulator x = GraphApiEmulator.builder().seed(1).now(NOW).build();
    GraphApiEmulator y = GraphApiEmulator.builder().seed(2).now(NOW).build();
    assertNotEquals(x.dataset().users().get(0).id(), y.dataset().users().get(0).id());
  }
}
