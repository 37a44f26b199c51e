package io.instabeam.graph;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of the HTTP client's own logging. google-http-client logs every request's
 * headers (the {@code Authorization} header at level ALL), a curl line and the response bodies,
 * whose {@code paging.next} URLs carry {@code access_token}, to its {@code java.util.logging}
 * logger when a user turns it up to debug a connector. A filter on that logger rewrites each record
 * before any handler (console, file, an SLF4J bridge) sees it.
 */
public final class HttpWireLog {
  /**
   * google-http-client's one logger ({@code HttpTransport.LOGGER}); held so it is never collected
   * with its filter.
   */
  private static final Logger WIRE = Logger.getLogger("com.google.api.client.http.HttpTransport");

  private static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|oauth)\\s+[^\\s'\"]+");
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile(
          "(?i)\\b(access_token|input_token|client_secret|fb_exchange_token|refresh_token)(\"?\\s*[=:]\\s*\"?)[^&\\s'\"]+");

  static {
    Filter previous = WIRE.getFilter();
    WIRE.setFilter(
        record -> {
          redact(record);
          return previous == null || previous.isLoggable(record);
        });
  }

  private HttpWireLog() {}

  /**
   * Installs the filter (once per JVM; loading this class does it): before any HTTP client is used.
   */
  public static void install() {}

  /**
   * Installs the filter and masks {@code token} wherever it appears, not only in the places known
   * to hold one.
   */
  public static void protect(AccessToken token) {
    TOKENS.add(token.value());
  }

  /** {@code text} with bearer credentials, secret parameters and every known token masked. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String masked =
        SECRET_PARAMETER.matcher(BEARER.matcher(text).replaceAll("$1 ***")).replaceAll("$1$2***");
    for (String token : TOKENS) {
      masked = masked.replace(token, "***");
    }
    return masked;
  }

  private static void redact(LogRecord record) {
    record.setMessage(redact(record.getMessage()));
    Object[] parameters = record.getParameters();
    if (parameters != null) {
      Object[] masked = parameters.clone();
      for (int i = 0; i < masked.length; i++) {
        if (masked[i] != null) {
          masked[i] = redact(String.valueOf(masked[i]));
        }
      }
      record.setParameters(masked);
    }
  }
}
