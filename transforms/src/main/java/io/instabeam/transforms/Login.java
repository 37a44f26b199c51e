package io.instabeam.transforms;

import io.instabeam.graph.GraphApiConfig;
import java.util.List;
import java.util.Locale;

/**
 * How the token was obtained, which decides where and what Meta serves: the Instagram API with
 * Facebook Login (graph.facebook.com; accounts through the Facebook pages of {@code me/accounts})
 * or with Instagram Login (graph.instagram.com; the token is one account's, {@code GET /me}, with
 * no page, and without Business Discovery, the {@code total_*} metrics, story {@code link_clicks}
 * and the new media counts). {@link MetricCatalog} records which logins each entry serves.
 */
public enum Login {
  FACEBOOK,
  INSTAGRAM;

  /**
   * Instagram-Login tokens start with this; Facebook-Login (user, page, system-user) tokens with
   * {@code EAA}.
   */
  public static final String INSTAGRAM_TOKEN_PREFIX = "IGAA";

  /**
   * The login of {@code --login=auto}: {@link #INSTAGRAM} for a token starting {@code IGAA}, else
   * FACEBOOK.
   */
  public static Login ofToken(String token) {
    return token.startsWith(INSTAGRAM_TOKEN_PREFIX) ? INSTAGRAM : FACEBOOK;
  }

  /** {@code facebook} or {@code instagram}. */
  public static Login fromOption(String value) {
    for (Login login : values()) {
      if (login.optionValue().equals(value)) {
        return login;
      }
    }
    throw new IllegalArgumentException("unknown login " + value);
  }

  /** The host that serves this login's tokens. */
  public String defaultBaseUrl() {
    return this == FACEBOOK ? GraphApiConfig.DEFAULT_BASE_URL : GraphApiConfig.INSTAGRAM_BASE_URL;
  }

  /** The permissions instabeam needs with this login, as Meta names them. */
  public List<String> permissions() {
    return this == FACEBOOK
        ? List.of(
            "instagram_basic",
            "instagram_manage_insights",
            "pages_show_list",
            "pages_read_engagement")
        : List.of("instagram_business_basic", "instagram_business_manage_insights");
  }

  /** What the login is called in Meta's documentation, for messages. */
  public String title() {
    return this == FACEBOOK ? "Facebook Login" : "Instagram Login";
  }

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return optionValue();
  }
}
