package io.instabeam.graph;

import io.instabeam.transforms.Login;
import java.io.Serializable;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Everything a worker needs to build a {@link GraphApiClient}: serializable, so DoFns carry it
 * instead of a live client. {@link #toString()} masks the token.
 *
 * @param baseUrl Graph API root, e.g. {@code https://graph.facebook.com}
 * @param apiVersion version path segment, e.g. {@code v25.0}
 * @param maxAttempts attempts per request for transient faults (first try included)
 * @param maxRetryMillis total time a request may spend retrying and waiting out rate limits; a wait
 *     Meta asks for that would end later, or pacing longer than this, fails the request at once
 * @param initialBackoffMillis first retry delay; doubles per attempt, with jitter
 * @param usageCeilingPercent usage (from Meta's headers) above which calls are paced
 * @param rateWindowSeconds the rolling window Meta's usage percentages refer to, to estimate how
 *     long to pace
 * @param maxConcurrentPerAccount calls in flight per Instagram account, across the worker's threads
 * @param timeoutMillis deadline of one HTTP request: connecting, the headers and the whole body
 *     (also the connect and read timeouts); a request past it is retried like a network error
 * @param maxRequestsInFlight batch requests for item insights a worker keeps in flight at once,
 *     across its threads
 * @param login the login the token comes from, which decides how accounts are found and what Meta
 *     serves
 * @param run names the run: its DoFns in one worker share a rate budget and a lane of calls per
 *     account (and say each warning once), and another run in the same JVM (a test's next job) gets
 *     its own, with its own limits; {@link #of} draws a new one, the {@code with…} copies keep it
 */
public record GraphApiConfig(
    String baseUrl,
    String apiVersion,
    AccessToken token,
    int maxAttempts,
    long maxRetryMillis,
    long initialBackoffMillis,
    int usageCeilingPercent,
    long rateWindowSeconds,
    int maxConcurrentPerAccount,
    int timeoutMillis,
    int maxRequestsInFlight,
    Login login,
    String run)
    implements Serializable {

  public static final String DEFAULT_BASE_URL = "https://graph.facebook.com";

  /**
   * Graph API v25.0 (2026-02-18) is available until 2028-07-29, the latest end date Meta has
   * announced; Airbyte pins v23.0, which expires on 2027-10-08. After its end Meta serves a call
   * with the oldest available version instead.
   */
  public static final String DEFAULT_API_VERSION = "v25.0";

  // The defaults of the tunables, also the defaults of their options (InstabeamOptions).
  public static final int DEFAULT_MAX_ATTEMPTS = 8;
  public static final long DEFAULT_MAX_RETRY_SECONDS = 3_600;
  public static final long DEFAULT_BACKOFF_MILLIS = 1_000;
  public static final int DEFAULT_USAGE_CEILING_PERCENT = 90;
  public static final long DEFAULT_RATE_WINDOW_SECONDS = 3_600;
  public static final int DEFAULT_MAX_CONCURRENT_PER_ACCOUNT = 4;
  public static final int DEFAULT_TIMEOUT_SECONDS = 60;
  public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 16;

  /**
   * Where the Instagram API with Instagram Login is served (the default base URL of {@link
   * Login#INSTAGRAM}).
   */
  public static final String INSTAGRAM_BASE_URL = "https://graph.instagram.com";

  /** A config for a Facebook-Login token, with the default tunables and a new run id. */
  public static GraphApiConfig of(String baseUrl, String apiVersion, AccessToken token) {
    return new GraphApiConfig(
        stripSlash(baseUrl),
        apiVersion,
        token,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_RETRY_SECONDS * 1000,
        DEFAULT_BACKOFF_MILLIS,
        DEFAULT_USAGE_CEILING_PERCENT,
        DEFAULT_RATE_WINDOW_SECONDS,
        DEFAULT_MAX_CONCURRENT_PER_ACCOUNT,
        DEFAULT_TIMEOUT_SECONDS * 1000,
        DEFAULT_MAX_REQUESTS_IN_FLIGHT,
        Login.FACEBOOK,
        UUID.randomUUID().toString());
  }

  public GraphApiConfig withLogin(Login login) {
    return copy(c -> c.login = login);
  }

  public GraphApiConfig withRetries(
      int maxAttempts, long maxRetryMillis, long initialBackoffMillis) {
    return copy(
        c -> {
          c.maxAttempts = maxAttempts;
          c.maxRetryMillis = maxRetryMillis;
          c.initialBackoffMillis = initialBackoffMillis;
        });
  }

  public GraphApiConfig withRateBudget(
      int usageCeilingPercent, long rateWindowSeconds, int maxConcurrentPerAccount) {
    return copy(
        c -> {
          c.usageCeilingPercent = usageCeilingPercent;
          c.rateWindowSeconds = rateWindowSeconds;
          c.maxConcurrentPerAccount = maxConcurrentPerAccount;
        });
  }

  public GraphApiConfig withRequestTimeout(int timeoutMillis) {
    return copy(c -> c.timeoutMillis = timeoutMillis);
  }

  public GraphApiConfig withMaxRequestsInFlight(int maxRequestsInFlight) {
    return copy(c -> c.maxRequestsInFlight = maxRequestsInFlight);
  }

  /**
   * This config with {@code change} applied: the one place that lists every component (a new one is
   * one line).
   */
  private GraphApiConfig copy(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new GraphApiConfig(
        c.baseUrl,
        c.apiVersion,
        c.token,
        c.maxAttempts,
        c.maxRetryMillis,
        c.initialBackoffMillis,
        c.usageCeilingPercent,
        c.rateWindowSeconds,
        c.maxConcurrentPerAccount,
        c.timeoutMillis,
        c.maxRequestsInFlight,
        c.login,
        c.run);
  }

  /** The components of a config being copied, for {@link #copy}. */
  private static final class Copy {
    String baseUrl;
    String apiVersion;
    AccessToken token;
    int maxAttempts;
    long maxRetryMillis;
    long initialBackoffMillis;
    int usageCeilingPercent;
    long rateWindowSeconds;
    int maxConcurrentPerAccount;
    int timeoutMillis;
    int maxRequestsInFlight;
    Login login;
    String run;

    Copy(GraphApiConfig from) {
      baseUrl = from.baseUrl;
      apiVersion = from.apiVersion;
      token = from.token;
      maxAttempts = from.maxAttempts;
      maxRetryMillis = from.maxRetryMillis;
      initialBackoffMillis = from.initialBackoffMillis;
      usageCeilingPercent = from.usageCeilingPercent;
      rateWindowSeconds = from.rateWindowSeconds;
      maxConcurrentPerAccount = from.maxConcurrentPerAccount;
      timeoutMillis = from.timeoutMillis;
      maxRequestsInFlight = from.maxRequestsInFlight;
      login = from.login;
      run = from.run;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "GraphApiConfig["
        + baseUrl
        + "/"
        + apiVersion
        + ", "
        + login
        + " login, token=***, maxAttempts="
        + maxAttempts
        + ", usageCeiling="
        + usageCeilingPercent
        + "%]";
  }
}
