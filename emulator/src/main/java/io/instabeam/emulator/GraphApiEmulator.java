package io.instabeam.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A deterministic Instagram Graph API emulator served over HTTP on the loopback interface.
 *
 * <pre>{@code
 * try (GraphApiEmulator emu = GraphApiEmulator.builder().seed(42).accessToken("demo-token").build()) {
 *   emu.start();
 *   String base = emu.baseUrl();   // http://127.0.0.1:PORT, then /v25.0/me/accounts ...
 * }
 * }</pre>
 *
 * <p>It serves both logins of the Instagram API over the same data: Facebook Login at {@link
 * #baseUrl()} (standing for graph.facebook.com, token {@link #accessToken()}) and Instagram Login
 * at {@link #instagramBaseUrl()} (standing for graph.instagram.com, token {@link
 * #instagramAccessToken()}, the token of the first account).
 */
public final class GraphApiEmulator implements AutoCloseable {
  /**
   * Default "now" when none is given: fixed so that runs are reproducible, never the wall clock.
   */
  public static final Instant DEFAULT_NOW = Instant.parse("2026-01-15T12:00:00Z");

  private final Settings settings;
  private final Dataset dataset;
  private final EmulatorClock clock;
  private final AccessGrant grant;
  private final AccessGrant instagramGrant;
  private final RateLimits limits;
  private final StatsRecorder stats = new StatsRecorder();
  private final FaultPlan faultPlan;
  private final GraphApi api;
  private final GraphApi instagramApi;
  private HttpFrontend frontend;
  private volatile String baseUrl;

  private GraphApiEmulator(Settings s) {
    this.settings = s;
    this.dataset =
        DatasetGenerator.generate(
            new DatasetSpec(
                s.seed,
                s.accounts,
                s.pagesWithoutInstagram,
                s.mediaPerAccount,
                s.storiesPerAccount,
                s.carouselShare,
                s.childrenMin,
                s.childrenMax,
                s.reelsShare,
                s.competitors,
                s.now,
                s.portfolioAccounts));
    this.clock =
        s.wallClock != null ? EmulatorClock.following(s.wallClock) : EmulatorClock.fixedAt(s.now);
    Instant issued = clock.now();
    String appId =
        "1"
            + String.format(
                "%014d", Math.floorMod(StableHash.of(s.seed, "app"), 100_000_000_000_000L));
    this.grant =
        new AccessGrant(
            s.accessToken,
            appId,
            "1"
                + String.format(
                    "%015d", Math.floorMod(StableHash.of(s.seed, "user"), 1_000_000_000_000_000L)),
            s.permissions,
            issued,
            s.tokenExpiresAt != null ? s.tokenExpiresAt : issued.plus(AccessGrant.LONG_LIVED),
            issued.plus(Duration.ofDays(90)));
    Instant instagramIssued =
        s.instagramTokenIssuedAt != null
            ? s.instagramTokenIssuedAt
            : issued.minus(Duration.ofDays(30));
    this.instagramGrant =
        new AccessGrant(
            s.instagramAccessToken,
            appId,
            dataset.users().isEmpty() ? "0" : dataset.users().get(0).id(),
            s.instagramPermissions,
            instagramIssued,
            instagramIssued.plus(AccessGrant.LONG_LIVED),
            instagramIssued.plus(Duration.ofDays(90)));
    this.limits =
        new RateLimits(
            s.callsPerWindow,
            s.faults.appBudgetEnforced() ? s.faults.appCallsPerWindow() : 0,
            s.rateWindow);
    dataset.users().forEach(u -> limits.account(u.id()));
    this.faultPlan = new FaultPlan(s.faults.seed(s.seed), s.faults);
    this.api =
        new GraphApi(
            LoginHost.FACEBOOK_LOGIN,
            dataset,
            clock,
            grant,
            limits,
            s.faults,
            faultPlan,
            stats,
            () -> baseUrl,
            s.churn,
            s.strictThirtyDays,
            s.portfolioPagesUnmanaged);
    this.instagramApi =
        new GraphApi(
            LoginHost.INSTAGRAM_LOGIN,
            dataset,
            clock,
            instagramGrant,
            limits,
            s.faults,
            faultPlan,
            stats,
            this::instagramBaseUrl,
            s.churn,
            s.strictThirtyDays,
            s.portfolioPagesUnmanaged);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts on an ephemeral loopback port. */
  public GraphApiEmulator start() {
    return start(0);
  }

  /** Starts on the given loopback port (0 = ephemeral). */
  public synchronized GraphApiEmulator start(int port) {
    if (frontend != null) {
      throw new IllegalStateException("already started");
    }
    HttpFrontend f =
        new HttpFrontend(
            this,
            api,
            instagramApi,
            stats,
            faultPlan,
            limits,
            clock,
            settings.latency,
            settings.lastMediaPageHold);
    try {
      int actual = f.start(port);
      baseUrl = "http://127.0.0.1:" + actual;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    frontend = f;
    return this;
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash, no version. */
  public String baseUrl() {
    if (baseUrl == null) {
      throw new IllegalStateException("not started");
    }
    return baseUrl;
  }

  /**
   * The Instagram-Login host, standing for {@code https://graph.instagram.com}: {@code
   * baseUrl()/instagram}.
   */
  public String instagramBaseUrl() {
    return baseUrl() + LoginHost.INSTAGRAM_LOGIN.pathPrefix;
  }

  public int port() {
    return Integer.parseInt(baseUrl().substring(baseUrl().lastIndexOf(':') + 1));
  }

  public EmulatorClock clock() {
    return clock;
  }

  public Dataset dataset() {
    return dataset;
  }

  public String accessToken() {
    return settings.accessToken;
  }

  /** The Instagram-Login token of the first account as it is now (a refresh replaces it). */
  public String instagramAccessToken() {
    return instagramGrant.token();
  }

  /** When the Instagram-Login token expires (60 days after it was issued or last refreshed). */
  public Instant instagramTokenExpiresAt() {
    return instagramGrant.expiresAt();
  }

  public Faults faults() {
    return settings.faults;
  }

  public EmulatorStats stats() {
    Instant now = clock.now();
    return stats.snapshot(limits.app().usage(now), limits.accountUsage(now));
  }

  public List<RecordedRequest> requests() {
    return stats.requests();
  }

  /** Clears counters and recorded requests (rate windows and fault histories are kept). */
  public void resetStats() {
    stats.reset();
  }

  /**
   * Clears counters, recorded requests, rate windows and fault histories: a fresh run against the
   * same data.
   */
  public void reset() {
    stats.reset();
    limits.clear();
    faultPlan.reset();
  }

  /**
   * Revokes a permission of the token it belongs to ({@code instagram_business_*}: the
   * Instagram-Login token).
   */
  public void revokePermission(String permission) {
    grantOf(permission).revoke(permission);
  }

  public void grantPermission(String permission) {
    grantOf(permission).grant(permission);
  }

  private AccessGrant grantOf(String permission) {
    return AccessGrant.INSTAGRAM_PERMISSIONS.contains(permission) ? instagramGrant : grant;
  }

  /** From now on both tokens answer 190/463 "Session has expired". */
  public void expireToken() {
    grant.expireAt(clock.now().minusSeconds(1));
    instagramGrant.expireAt(clock.now().minusSeconds(1));
  }

  @Override
  public synchronized void close() {
    if (frontend != null) {
      frontend.close();
      frontend = null;
    }
  }

  private static final class Settings {
    long seed = 42;
    String accessToken = "demo-token";
    int accounts = 3;
    int pagesWithoutInstagram = 1;
    int mediaPerAccount = 300;
    int storiesPerAccount = 5;
    double carouselShare = 0.2;
    int childrenMin = 2;
    int childrenMax = 10;
    double reelsShare = 0.15;
    int competitors = 3;
    Instant now = DEFAULT_NOW;

    /**
     * The clock the emulator's "now" follows (plus what was set or advanced); null: fixed at {@code
     * now}.
     */
    Clock wallClock;

    Duration latency = Duration.ZERO;

    /** See {@link Builder#lastMediaPageWaitsForBatch(Duration)}; null: no wait. */
    Duration lastMediaPageHold;

    Faults faults = Faults.none();
    int callsPerWindow;
    Duration rateWindow = Duration.ofHours(1);
    Set<String> permissions = new HashSet<>(AccessGrant.ALL_PERMISSIONS);
    Instant tokenExpiresAt;
    String instagramAccessToken = "IGAAdemo-token";
    Set<String> instagramPermissions = new HashSet<>(AccessGrant.INSTAGRAM_PERMISSIONS);
    Instant instagramTokenIssuedAt;
    int portfolioAccounts;
    boolean portfolioPagesUnmanaged;
    MetricChurn churn = new MetricChurn();
    boolean strictThirtyDays;
  }

  /** Builder; every knob also exists as a {@code --flag} of {@link EmulatorMain}. */
  public static final class Builder {
    private final Settings s = new Settings();

    private Builder() {}

    public Builder seed(long seed) {
      s.seed = seed;
      return this;
    }

    public Builder accessToken(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("accessToken must not be blank");
      }
      s.accessToken = token;
      return this;
    }

    /** Number of IG business accounts, each linked to its own Facebook page. */
    public Builder accounts(int n) {
      s.accounts = n;
      return this;
    }

    /** Extra Facebook pages with no {@code instagram_business_account}. */
    public Builder pagesWithoutInstagram(int n) {
      s.pagesWithoutInstagram = n;
      return this;
    }

    public Builder mediaPerAccount(int n) {
      s.mediaPerAccount = n;
      return this;
    }

    public Builder storiesPerAccount(int n) {
      s.storiesPerAccount = n;
      return this;
    }

    public Builder carouselShare(double share) {
      s.carouselShare = share;
      return this;
    }

    public Builder childrenPerCarousel(int min, int max) {
      s.childrenMin = min;
      s.childrenMax = max;
      return this;
    }

    public Builder reelsShare(double share) {
      s.reelsShare = share;
      return this;
    }

    /**
     * Professional profiles Business Discovery serves (default 3), besides one personal profile it
     * refuses; their usernames are {@link Dataset#competitorUsernames()}.
     */
    public Builder competitors(int n) {
      s.competitors = n;
      return this;
    }

    /** The initial "now"; data is generated relative to it. */
    public Builder now(Instant now) {
      s.now = Objects.requireNonNull(now);
      return this;
    }

    /**
     * Follow the wall clock (data is still generated relative to {@link #now(Instant)}, default
     * {@link #DEFAULT_NOW}).
     */
    public Builder systemClock() {
      return wallClock(Clock.systemUTC());
    }

    /**
     * Follow {@code wall} instead of the system's clock (a test's clock, which it moves itself).
     */
    Builder wallClock(Clock wall) {
      s.wallClock = Objects.requireNonNull(wall);
      return this;
    }

    public Builder latency(Duration latency) {
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must be >= 0");
      }
      s.latency = latency;
      return this;
    }

    /**
     * The media edge's answer that brings the last of an account's media not served yet (over pages
     * and time slices) is answered only once a batch request has been answered, or after {@code
     * timeout}: a client that reads insights while it reads the media edge gets its batch answered
     * first, one that waits for the whole edge waits the timeout and sees its batch after that
     * page.
     */
    public Builder lastMediaPageWaitsForBatch(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("lastMediaPageWaitsForBatch must be positive");
      }
      s.lastMediaPageHold = timeout;
      return this;
    }

    public Builder faults(Faults faults) {
      s.faults = Objects.requireNonNull(faults);
      return this;
    }

    /** Per-IG-account call budget per rolling window; 0 = unlimited. */
    public Builder callsPerWindow(int calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("callsPerWindow must be >= 0");
      }
      s.callsPerWindow = calls;
      return this;
    }

    public Builder rateWindow(Duration window) {
      if (window.isZero() || window.isNegative()) {
        throw new IllegalArgumentException("rateWindow must be positive");
      }
      s.rateWindow = window;
      return this;
    }

    /**
     * Granted permissions of the Facebook-Login token (default: all of instagram_basic,
     * instagram_manage_insights, pages_show_list, pages_read_engagement, instagram_manage_comments;
     * business_management only when given).
     */
    public Builder permissions(Set<String> permissions) {
      for (String p : permissions) {
        if (!AccessGrant.ALL_PERMISSIONS.contains(p)
            && !p.equals(AccessGrant.BUSINESS_MANAGEMENT)) {
          throw new IllegalArgumentException(
              "unknown permission "
                  + p
                  + "; known: "
                  + AccessGrant.ALL_PERMISSIONS
                  + " and "
                  + AccessGrant.BUSINESS_MANAGEMENT);
        }
      }
      s.permissions = new HashSet<>(permissions);
      return this;
    }

    /** The Instagram-Login token of the first account (default {@code IGAAdemo-token}). */
    public Builder instagramAccessToken(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("instagramAccessToken must not be blank");
      }
      s.instagramAccessToken = token;
      return this;
    }

    /**
     * Granted permissions of the Instagram-Login token (default: all instagram_business_* ones).
     */
    public Builder instagramPermissions(Set<String> permissions) {
      for (String p : permissions) {
        if (!AccessGrant.INSTAGRAM_PERMISSIONS.contains(p)) {
          throw new IllegalArgumentException(
              "unknown permission " + p + "; known: " + AccessGrant.INSTAGRAM_PERMISSIONS);
        }
      }
      s.instagramPermissions = new HashSet<>(permissions);
      return this;
    }

    /**
     * When the Instagram-Login token was issued; it expires 60 days later. Default: 30 days before
     * the start.
     */
    public Builder instagramTokenIssuedAt(Instant issuedAt) {
      s.instagramTokenIssuedAt = issuedAt;
      return this;
    }

    /**
     * The last {@code n} accounts are owned by a Business portfolio: their pages are in {@code
     * me/accounts} without the Instagram account unless the token has business_management; the
     * portfolio's edge lists them.
     */
    public Builder portfolioAccounts(int n) {
      s.portfolioAccounts = n;
      return this;
    }

    /**
     * The token's user has no role on the pages of the portfolio's accounts (only on the
     * portfolio): those pages are not in {@code me/accounts} at all, so only the portfolio's edge
     * or the account's id reaches them.
     */
    public Builder portfolioPagesUnmanaged() {
      s.portfolioPagesUnmanaged = true;
      return this;
    }

    /** Default: 60 days after the initial now. */
    public Builder tokenExpiresAt(Instant expiresAt) {
      s.tokenExpiresAt = expiresAt;
      return this;
    }

    /**
     * Metrics taken out of the API (media and account insights), e.g. {@code follower_count,
     * online_followers}: asking for one is answered "(#100) metric[i] must be one of the following
     * values: …".
     */
    public Builder removedMetrics(String... metrics) {
      for (String metric : metrics) {
        s.churn.remove(metric);
      }
      return this;
    }

    /**
     * A media kind ({@code VIDEO/FEED}; {@code *} for any type) stops supporting {@code metric}:
     * "(#100) The Media Insights API does not support the views metric for this media product
     * type."
     */
    public Builder unsupportedMetric(String metric, String kind) {
      s.churn.unsupport(metric, kind);
      return this;
    }

    /** Answers of a media kind leave {@code metric} out, without an error. */
    public Builder omittedMetric(String metric, String kind) {
      s.churn.omit(metric, kind);
      return this;
    }

    /**
     * follower_count and online_followers count their 30 days from the request's time (a {@code
     * since} before now minus 30 days fails), instead of from today's UTC midnight.
     */
    public Builder strictThirtyDays() {
      s.strictThirtyDays = true;
      return this;
    }

    public GraphApiEmulator build() {
      return new GraphApiEmulator(s);
    }
  }
}
