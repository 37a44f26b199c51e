package io.instabeam.graph;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AccessTokenTest {
  private static final String SECRET = "EAAGm0PX4ZCpsBAKZC1secretTOKENvalue";

  @Test
  void toStringNeverShowsTheToken() {
    assertThat(AccessToken.of(SECRET).toString(), not(containsString(SECRET)));
  }

  @Test
  void toStringShowsNoPartOfTheToken() {
    assertThat(AccessToken.of(SECRET).toString(), not(containsString(SECRET.substring(0, 6))));
  }

  @Test
  void redactReplacesEveryOccurrence() {
    AccessToken token = AccessToken.of(SECRET);
    String redacted =
        token.redact(
            "GET /me?access_token=" + SECRET + " failed: Malformed access token " + SECRET);
    assertThat(redacted, not(containsString(SECRET)));
    assertEquals("GET /me?access_token=*** failed: Malformed access token ***", redacted);
  }

  @Test
  void redactLeavesNullNull() {
    assertNull(AccessToken.of(SECRET).redact(null));
  }

  @Test
  void stripsSurroundingWhitespace() {
    assertEquals(SECRET, AccessToken.of("  " + SECRET + "\n").value());
  }

  @Test
  void rejectsABlankToken() {
    assertThrows(IllegalArgumentException.class, () -> AccessToken.of("   "));
  }

  @Test
  void rejectsANullToken() {
    assertThrows(IllegalArgumentException.class, () -> AccessToken.of(null));
  }

  @Test
  void configToStringNeverShowsTheToken() {
    assertThat(
        GraphApiConfig.of("https://graph.facebook.com/", "v23.0", AccessToken.of(SECRET))
            .toString(),
        not(containsString(SECRET)));
  }
}
