package io.instabeam.graph;

import java.io.Serializable;
import java.util.Objects;

/**
 * A Graph API access token. Its {@link #toString()} never shows the value, so a token that ends up
 * in a log line, an exception or an options dump stays secret.
 */
public final class AccessToken implements Serializable {
  private final String value;

  private AccessToken(String value) {
    this.value = value;
  }

  public static AccessToken of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the access token is empty");
    }
    return new AccessToken(value.strip());
  }

  /** The secret itself: only for the Authorization header. */
  public String value() {
    return value;
  }

  /**
   * Replaces every occurrence of the token in {@code text}, for messages that quote server or
   * library output.
   */
  public String redact(String text) {
    return text == null ? null : text.replace(value, "***");
  }

  @Override
  public String toString() {
    return "AccessToken[***]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccessToken other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }
}
