package io.instabeam.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Graph API version serves a request (Meta's versioning guide): a version past its end is not
 * refused, Meta serves the call with the oldest version still available and says which in the
 * {@code facebook-api-version} header.
 */
final class ApiVersions {
  /** Version → the last day it is available (versions after v25.0 have no announced end). */
  private static final Map<String, Instant> AVAILABLE_UNTIL = new LinkedHashMap<>();

  static {
    AVAILABLE_UNTIL.put("v22.0", Instant.parse("2027-05-20T00:00:00Z"));
    AVAILABLE_UNTIL.put("v23.0", Instant.parse("2027-10-08T00:00:00Z"));
    AVAILABLE_UNTIL.put("v24.0", Instant.parse("2028-02-18T00:00:00Z"));
    AVAILABLE_UNTIL.put("v25.0", Instant.parse("2028-07-29T00:00:00Z"));
  }

  /** What an unversioned call is served with (an app's default version). */
  static final String DEFAULT = "v25.0";

  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");

  private ApiVersions() {}

  /** The version that serves a request for {@code requested} (null: unversioned) at {@code now}. */
  static String served(String requested, Instant now) {
    if (requested == null) {
      return DEFAULT;
    }
    String oldest =
        AVAILABLE_UNTIL.entrySet().stream()
            .filter(e -> e.getValue().isAfter(now))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElse(DEFAULT);
    return number(requested) < number(oldest) ? oldest : requested;
  }

  private static int number(String version) {
    Matcher m = VERSION.matcher(version);
    return m.matches()
        ? Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2))
        : Integer.MAX_VALUE;
  }
}
