package io.instabeam.emulator;

import java.time.Duration;
import java.util.Set;

/**
 * Fault injection settings (all off by default). Rates are probabilities per request, decided by
 * hashing (seed, request key, occurrence number) so that runs are reproducible and independent of
 * thread interleaving; at most {@link #maxConsecutiveFaults()} faults in a row hit the same request
 * key, so a client that retries enough always gets through.
 *
 * <ul>
 *   <li>{@code http5xxRate}: HTTP 500 (Meta JSON, code 2, transient) or 503 (plain text), half
 *       each;
 *   <li>{@code transientErrorRate}: HTTP 500 code 1 "An unknown error occurred" or HTTP 400 code 2
 *       "Service temporarily unavailable", both {@code is_transient:true};
 *   <li>{@code dropConnectionRate}: the socket is closed without any response;
 *   <li>{@code truncatedBodyRate}: status 200 and a chunked body cut in the middle, then the socket
 *       closes;
 *   <li>{@code appRateLimitCode} (0 = off, else 4, 17, 32 or 613) served once more than {@code
 *       appCallsPerWindow} calls were made app-wide within the rate window.
 *   <li>{@code seed}: the seed of the fault decisions (default: the emulator's seed), so that a
 *       test can draw fresh faults over the same data set.
 * </ul>
 *
 * <p>Hostile or odd answers, as a proxy, a half-deployed Meta change or Meta's own paging serve
 * them:
 *
 * <ul>
 *   <li>{@code malformedPageRate}: an edge's answer (me/accounts, media, stories, insights) comes
 *       with status 200 but without its {@code data} list: no {@code data} key, or {@code data} an
 *       object, half each (also per batch sub-request);
 *   <li>{@code selfPointingPages}: every page after the first of a cursor-paged edge names its own
 *       cursor as the next one, so {@code paging.next} points to the page itself;
 *   <li>{@code repeatedItemsAcrossPages}: every page after the first starts again with the last
 *       item of the page before, as Meta's paging does when a post is published during the read;
 *   <li>{@code oddItems}: on the media and stories edges, the second item of each account has
 *       {@code "id": null}, the third its id as a JSON number, the fourth an unparseable {@code
 *       timestamp};
 *   <li>{@code swappedBatchAnswersRate}: a batch answers two of its sub-requests for different
 *       objects each with the other's answer;
 *   <li>{@code slowHeadersRate} / {@code slowHeadersDelay}: the answer's headers are held back for
 *       the delay (default 10 s); {@code trickledBodyRate} / {@code trickleByteDelay}: the headers
 *       come at once, then the body a byte at a time, one every delay (default 20 ms). Whole HTTP
 *       requests only;
 *   <li>{@code regainAccessMinutes} (0 = computed from the window): the {@code
 *       estimated_time_to_regain_access} an account's usage header reports once its budget is used
 *       up; {@code retryAfterSeconds} (0 = none): a {@code Retry-After} header on every
 *       rate-limited HTTP answer and every injected HTTP-level 5xx or transient error.
 * </ul>
 *
 * <p>Each sub-request of a batch also draws its own fault, as Meta answers each one separately: the
 * 5xx and transient rates give that sub-response the same Graph error body (a 503 becomes a {@code
 * null} entry, a sub-request Meta did not complete in time); dropped connections and truncated
 * bodies only hit whole HTTP requests. Stats count these as {@code batch_item_<kind>} and {@code
 * batch_item_not_completed}.
 */
public final class Faults {
  private static final Set<Integer> APP_CODES = Set.of(0, 4, 17, 32, 613);

  private final double http5xxRate;
  private final double transientErrorRate;
  private final double dropConnectionRate;
  private final double truncatedBodyRate;
  private final int appRateLimitCode;
  private final int appCallsPerWindow;
  private final int maxConsecutiveFaults;
  private final Long seed;
  private final double malformedPageRate;
  private final boolean selfPointingPages;
  private final boolean repeatedItemsAcrossPages;
  private final boolean oddItems;
  private final double swappedBatchAnswersRate;
  private final double slowHeadersRate;
  private final Duration slowHeadersDelay;
  private final double trickledBodyRate;
  private final Duration trickleByteDelay;
  private final int regainAccessMinutes;
  private final int retryAfterSeconds;

  private Faults(Builder b) {
    this.http5xxRate = rate("http5xxRate", b.http5xxRate);
    this.transientErrorRate = rate("transientErrorRate", b.transientErrorRate);
    this.dropConnectionRate = rate("dropConnectionRate", b.dropConnectionRate);
    this.truncatedBodyRate = rate("truncatedBodyRate", b.truncatedBodyRate);
    this.slowHeadersRate = rate("slowHeadersRate", b.slowHeadersRate);
    this.trickledBodyRate = rate("trickledBodyRate", b.trickledBodyRate);
    if (httpFaultRate() > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault rates must add up to at most 1");
    }
    if (!APP_CODES.contains(b.appRateLimitCode)) {
      throw new IllegalArgumentException("appRateLimitCode must be 0, 4, 17, 32 or 613");
    }
    if (b.appCallsPerWindow < 0 || b.maxConsecutiveFaults < 0) {
      throw new IllegalArgumentException("appCallsPerWindow and maxConsecutiveFaults must be >= 0");
    }
    this.appRateLimitCode = b.appRateLimitCode;
    this.appCallsPerWindow = b.appCallsPerWindow;
    this.maxConsecutiveFaults = b.maxConsecutiveFaults;
    this.seed = b.seed;
    this.malformedPageRate = rate("malformedPageRate", b.malformedPageRate);
    this.selfPointingPages = b.selfPointingPages;
    this.repeatedItemsAcrossPages = b.repeatedItemsAcrossPages;
    this.oddItems = b.oddItems;
    this.swappedBatchAnswersRate = rate("swappedBatchAnswersRate", b.swappedBatchAnswersRate);
    this.slowHeadersDelay = positive("slowHeadersDelay", b.slowHeadersDelay);
    this.trickleByteDelay = positive("trickleByteDelay", b.trickleByteDelay);
    if (b.regainAccessMinutes < 0 || b.retryAfterSeconds < 0) {
      throw new IllegalArgumentException("regainAccessMinutes and retryAfterSeconds must be >= 0");
    }
    this.regainAccessMinutes = b.regainAccessMinutes;
    this.retryAfterSeconds = b.retryAfterSeconds;
  }

  private static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  private static double rate(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0,1]");
    }
    return value;
  }

  public static Faults none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.http5xxRate = http5xxRate;
    b.transientErrorRate = transientErrorRate;
    b.dropConnectionRate = dropConnectionRate;
    b.truncatedBodyRate = truncatedBodyRate;
    b.appRateLimitCode = appRateLimitCode;
    b.appCallsPerWindow = appCallsPerWindow;
    b.maxConsecutiveFaults = maxConsecutiveFaults;
    b.seed = seed;
    b.malformedPageRate = malformedPageRate;
    b.selfPointingPages = selfPointingPages;
    b.repeatedItemsAcrossPages = repeatedItemsAcrossPages;
    b.oddItems = oddItems;
    b.swappedBatchAnswersRate = swappedBatchAnswersRate;
    b.slowHeadersRate = slowHeadersRate;
    b.slowHeadersDelay = slowHeadersDelay;
    b.trickledBodyRate = trickledBodyRate;
    b.trickleByteDelay = trickleByteDelay;
    b.regainAccessMinutes = regainAccessMinutes;
    b.retryAfterSeconds = retryAfterSeconds;
    return b;
  }

  public double http5xxRate() {
    return http5xxRate;
  }

  public double transientErrorRate() {
    return transientErrorRate;
  }

  public double dropConnectionRate() {
    return dropConnectionRate;
  }

  public double truncatedBodyRate() {
    return truncatedBodyRate;
  }

  public int appRateLimitCode() {
    return appRateLimitCode;
  }

  public int appCallsPerWindow() {
    return appCallsPerWindow;
  }

  public int maxConsecutiveFaults() {
    return maxConsecutiveFaults;
  }

  public double malformedPageRate() {
    return malformedPageRate;
  }

  public boolean selfPointingPages() {
    return selfPointingPages;
  }

  public boolean repeatedItemsAcrossPages() {
    return repeatedItemsAcrossPages;
  }

  public boolean oddItems() {
    return oddItems;
  }

  public double swappedBatchAnswersRate() {
    return swappedBatchAnswersRate;
  }

  public double slowHeadersRate() {
    return slowHeadersRate;
  }

  public Duration slowHeadersDelay() {
    return slowHeadersDelay;
  }

  public double trickledBodyRate() {
    return trickledBodyRate;
  }

  public Duration trickleByteDelay() {
    return trickleByteDelay;
  }

  public int regainAccessMinutes() {
    return regainAccessMinutes;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The share of whole HTTP requests that get one of the HTTP-level faults. */
  double httpFaultRate() {
    return http5xxRate
        + transientErrorRate
        + dropConnectionRate
        + truncatedBodyRate
        + slowHeadersRate
        + trickledBodyRate;
  }

  /** The seed of the fault decisions, or {@code dataSeed} when none was set. */
  public long seed(long dataSeed) {
    return seed == null ? dataSeed : seed;
  }

  public Faults withHttp5xxRate(double rate) {
    return toBuilder().http5xxRate(rate).build();
  }

  public Faults withTransientErrorRate(double rate) {
    return toBuilder().transientErrorRate(rate).build();
  }

  public Faults withDropConnectionRate(double rate) {
    return toBuilder().dropConnectionRate(rate).build();
  }

  public Faults withTruncatedBodyRate(double rate) {
    return toBuilder().truncatedBodyRate(rate).build();
  }

  public Faults withAppRateLimit(int code, int callsPerWindow) {
    return toBuilder().appRateLimitCode(code).appCallsPerWindow(callsPerWindow).build();
  }

  public Faults withMaxConsecutiveFaults(int max) {
    return toBuilder().maxConsecutiveFaults(max).build();
  }

  public Faults withSeed(long seed) {
    return toBuilder().seed(seed).build();
  }

  /** True when the app-level budget is enforced. */
  boolean appBudgetEnforced() {
    return appRateLimitCode != 0 && appCallsPerWindow > 0;
  }

  @Override
  public String toString() {
    return "Faults{http5xxRate="
        + http5xxRate
        + ", transientErrorRate="
        + transientErrorRate
        + ", dropConnectionRate="
        + dropConnectionRate
        + ", truncatedBodyRate="
        + truncatedBodyRate
        + ", appRateLimitCode="
        + appRateLimitCode
        + ", appCallsPerWindow="
        + appCallsPerWindow
        + ", maxConsecutiveFaults="
        + maxConsecutiveFaults
        + (seed == null ? "" : ", seed=" + seed)
        + ", malformedPageRate="
        + malformedPageRate
        + ", selfPointingPages="
        + selfPointingPages
        + ", repeatedItemsAcrossPages="
        + repeatedItemsAcrossPages
        + ", oddItems="
        + oddItems
        + ", swappedBatchAnswersRate="
        + swappedBatchAnswersRate
        + ", slowHeadersRate="
        + slowHeadersRate
        + ", slowHeadersDelay="
        + slowHeadersDelay
        + ", trickledBodyRate="
        + trickledBodyRate
        + ", trickleByteDelay="
        + trickleByteDelay
        + ", regainAccessMinutes="
        + regainAccessMinutes
        + ", retryAfterSeconds="
        + retryAfterSeconds
        + "}";
  }

  public static final class Builder {
    private double http5xxRate;
    private double transientErrorRate;
    private double dropConnectionRate;
    private double truncatedBodyRate;
    private int appRateLimitCode;
    private int appCallsPerWindow;
    private int maxConsecutiveFaults = 3;
    private Long seed;
    private double malformedPageRate;
    private boolean selfPointingPages;
    private boolean repeatedItemsAcrossPages;
    private boolean oddItems;
    private double swappedBatchAnswersRate;
    private double slowHeadersRate;
    private Duration slowHeadersDelay = Duration.ofSeconds(10);
    private double trickledBodyRate;
    private Duration trickleByteDelay = Duration.ofMillis(20);
    private int regainAccessMinutes;
    private int retryAfterSeconds;

    private Builder() {}

    public Builder http5xxRate(double rate) {
      this.http5xxRate = rate;
      return this;
    }

    public Builder transientErrorRate(double rate) {
      this.transientErrorRate = rate;
      return this;
    }

    public Builder dropConnectionRate(double rate) {
      this.dropConnectionRate = rate;
      return this;
    }

    public Builder truncatedBodyRate(double rate) {
      this.truncatedBodyRate = rate;
      return this;
    }

    public Builder appRateLimitCode(int code) {
      this.appRateLimitCode = code;
      return this;
    }

    public Builder appCallsPerWindow(int calls) {
      this.appCallsPerWindow = calls;
      return this;
    }

    public Builder maxConsecutiveFaults(int max) {
      this.maxConsecutiveFaults = max;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder malformedPageRate(double rate) {
      this.malformedPageRate = rate;
      return this;
    }

    public Builder selfPointingPages(boolean on) {
      this.selfPointingPages = on;
      return this;
    }

    public Builder repeatedItemsAcrossPages(boolean on) {
      this.repeatedItemsAcrossPages = on;
      return this;
    }

    public Builder oddItems(boolean on) {
      this.oddItems = on;
      return this;
    }

    public Builder swappedBatchAnswersRate(double rate) {
      this.swappedBatchAnswersRate = rate;
      return this;
    }

    public Builder slowHeadersRate(double rate) {
      this.slowHeadersRate = rate;
      return this;
    }

    public Builder slowHeadersDelay(Duration delay) {
      this.slowHeadersDelay = delay;
      return this;
    }

    public Builder trickledBodyRate(double rate) {
      this.trickledBodyRate = rate;
      return this;
    }

    public Builder trickleByteDelay(Duration delay) {
      this.trickleByteDelay = delay;
      return this;
    }

    public Builder regainAccessMinutes(int minutes) {
      this.regainAccessMinutes = minutes;
      return this;
    }

    public Builder retryAfterSeconds(int seconds) {
      this.retryAfterSeconds = seconds;
      return this;
    }

    public Faults build() {
      return new Faults(this);
    }
  }
}
