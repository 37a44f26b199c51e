package io.instabeam.transforms;

import java.util.Locale;

/**
 * How the token was obtained, which decides what Meta serves: Instagram API with Facebook Login (graph.facebook.com,
 * the only one the job uses so far) or with Instagram Login (graph.instagram.com, without the {@code total_*} metrics,
 * story {@code link_clicks} and the new media counts). {@link MetricCatalog} records which logins each entry serves.
 */
public enum Login {
  FACEBOOK,
  INSTAGRAM;

  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return optionValue();
  }
}
