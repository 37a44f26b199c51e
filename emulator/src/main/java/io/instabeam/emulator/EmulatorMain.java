package io.instabeam.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone emulator: {@code java -jar instabeam-emulator.jar --port=8099 --token=demo-token
 * --seed=42}. Prints one line with the base URL and runs until killed. Bad flags: one error line,
 * exit status 2.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  /** Flags that are switches, given without a value. */
  private static final Set<String> VALUELESS =
      Set.of(
          "help",
          "system-clock",
          "self-pointing-pages",
          "repeated-items-across-pages",
          "odd-items",
          "strict-thirty-days");

  /** Flag → help text; the order is the order of {@code --help}. */
  private static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("port", "listen port on 127.0.0.1 (default 8099; 0 = ephemeral)");
    FLAGS.put("token", "the access token to accept (default demo-token)");
    FLAGS.put(
        "instagram-token",
        "Instagram-Login token (first account, under /instagram; default IGAAdemo-token)");
    FLAGS.put("seed", "data/fault seed (default 42)");
    FLAGS.put("accounts", "IG business accounts, one Facebook page each (default 3)");
    FLAGS.put("pages-without-instagram", "extra pages with no IG account (default 1)");
    FLAGS.put("portfolio-accounts", "last N accounts owned by a Business portfolio (default 0)");
    FLAGS.put("media", "media per account (default 300)");
    FLAGS.put("stories", "stories per account, all within 24 h of now (default 5)");
    FLAGS.put("carousel-share", "share of carousel albums, 0..1 (default 0.2)");
    FLAGS.put("children", "children per carousel as MIN..MAX (default 2..10)");
    FLAGS.put("reels-share", "share of reels, 0..1 (default 0.15)");
    FLAGS.put(
        "competitors",
        "professional profiles Business Discovery serves, besides one personal one (default 3)");
    FLAGS.put(
        "now", "initial clock, ISO-8601 instant (default " + GraphApiEmulator.DEFAULT_NOW + ")");
    FLAGS.put("system-clock", "follow the wall clock instead of a fixed now (no value)");
    FLAGS.put("latency-ms", "delay before each HTTP answer (default 0)");
    FLAGS.put(
        "last-media-page-waits-for-batch-ms",
        "the media edge's last page waits up to this long for an answered batch request (default: no wait)");
    FLAGS.put(
        "calls-per-window", "per-IG-account call budget per window, 0 = unlimited (default 0)");
    FLAGS.put("rate-window", "rolling window, ISO-8601 duration (default PT1H)");
    FLAGS.put("permissions", "granted permissions, comma separated (default: all five)");
    FLAGS.put("token-expires-at", "token expiry, ISO-8601 instant (default now + 60 days)");
    FLAGS.put("http5xx-rate", "share of requests answered 500/503 (default 0)");
    FLAGS.put(
        "transient-error-rate", "share answered with is_transient errors, codes 1/2 (default 0)");
    FLAGS.put("drop-connection-rate", "share whose socket is closed without an answer (default 0)");
    FLAGS.put("truncated-body-rate", "share whose body is cut in the middle (default 0)");
    FLAGS.put("max-consecutive-faults", "cap of faults in a row for one request (default 3)");
    FLAGS.put(
        "app-rate-limit-code",
        "code served past the app budget: 0 (off), 4, 17, 32, 613 (default 0)");
    FLAGS.put("app-calls-per-window", "app-wide call budget per window (default 0)");
    FLAGS.put(
        "removed-metrics",
        "metrics taken out of the API, comma separated, e.g. follower_count,online_followers");
    FLAGS.put(
        "unsupported",
        "METRIC:MEDIA_TYPE/PRODUCT_TYPE,... a media kind rejects, e.g. views:VIDEO/FEED (* = any)");
    FLAGS.put(
        "omitted-metrics",
        "METRIC:MEDIA_TYPE/PRODUCT_TYPE,... left out of answers without an error");
    FLAGS.put("malformed-page-rate", "share of edge answers without their data list (default 0)");
    FLAGS.put(
        "self-pointing-pages", "pages after the first point to themselves as the next (no value)");
    FLAGS.put(
        "repeated-items-across-pages",
        "pages after the first repeat the last item before (no value)");
    FLAGS.put(
        "odd-items", "media/stories with a null id, a numeric id, a bad timestamp (no value)");
    FLAGS.put(
        "swapped-batch-answers-rate", "share of batches with two answers swapped (default 0)");
    FLAGS.put("slow-headers-rate", "share of answers whose headers are held back (default 0)");
    FLAGS.put("slow-headers-delay", "how long, ISO-8601 duration (default PT10S)");
    FLAGS.put(
        "trickled-body-rate", "share of answers whose body comes a byte at a time (default 0)");
    FLAGS.put("trickle-byte-delay", "pause between two bytes, ISO-8601 duration (default PT0.02S)");
    FLAGS.put(
        "regain-access-minutes",
        "estimated_time_to_regain_access once a budget is used up (default: computed)");
    FLAGS.put(
        "retry-after-seconds",
        "Retry-After on rate-limited and injected 5xx answers (default: none)");
    FLAGS.put(
        "strict-thirty-days",
        "30-day metrics count from the request's time, not midnight (no value)");
    FLAGS.put("help", "print this help");
  }

  public static void main(String[] args) throws InterruptedException {
    GraphApiEmulator emulator;
    int port;
    try {
      Map<String, String> flags = parse(args);
      if (flags.containsKey("help")) {
        help(System.out);
        return;
      }
      port = Integer.parseInt(flags.getOrDefault("port", "8099"));
      emulator = configure(flags).build();
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    try {
      emulator.start(port);
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println(
        "Graph API emulator listening on "
            + emulator.baseUrl()
            + " (token "
            + emulator.accessToken()
            + ", seed "
            + emulator.dataset().seed()
            + "); Instagram Login on "
            + emulator.instagramBaseUrl()
            + " (token "
            + emulator.instagramAccessToken()
            + ")");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!FLAGS.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      boolean valueless = VALUELESS.contains(name);
      if (valueless != (eq < 0)) {
        throw new IllegalArgumentException(
            valueless
                ? "--" + name + " takes no value"
                : "--" + name + " needs a value (--" + name + "=...)");
      }
      flags.put(name, eq < 0 ? "" : arg.substring(eq + 1));
    }
    return flags;
  }

  static GraphApiEmulator.Builder configure(Map<String, String> flags) {
    GraphApiEmulator.Builder b = GraphApiEmulator.builder();
    Faults.Builder faults = Faults.builder();
    for (Map.Entry<String, String> e : flags.entrySet()) {
      String v = e.getValue();
      try {
        switch (e.getKey()) {
          case "port":
            Integer.parseInt(v);
            break;
          case "token":
            b.accessToken(v);
            break;
          case "instagram-token":
            b.instagramAccessToken(v);
            break;
          case "portfolio-accounts":
            b.portfolioAccounts(Integer.parseInt(v));
            break;
          case "seed":
            b.seed(Long.parseLong(v));
            break;
          case "accounts":
            b.accounts(Integer.parseInt(v));
            break;
          case "pages-without-instagram":
            b.pagesWithoutInstagram(Integer.parseInt(v));
            break;
          case "media":
            b.mediaPerAccount(Integer.parseInt(v));
            break;
          case "stories":
            b.storiesPerAccount(Integer.parseInt(v));
            break;
          case "carousel-share":
            b.carouselShare(Double.parseDouble(v));
            break;
          case "children":
            {
              String[] range = v.split("\\.\\.");
              if (range.length != 2) {
                throw new IllegalArgumentException("expected MIN..MAX");
              }
              b.childrenPerCarousel(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
              break;
            }
          case "reels-share":
            b.reelsShare(Double.parseDouble(v));
            break;
          case "competitors":
            b.competitors(Integer.parseInt(v));
            break;
          case "now":
            b.now(Instant.parse(v));
            break;
          case "system-clock":
            b.systemClock();
            break;
          case "latency-ms":
            b.latency(Duration.ofMillis(Long.parseLong(v)));
            break;
          case "last-media-page-waits-for-batch-ms":
            b.lastMediaPageWaitsForBatch(Duration.ofMillis(Long.parseLong(v)));
            break;
          case "calls-per-window":
            b.callsPerWindow(Integer.parseInt(v));
            break;
          case "rate-window":
            b.rateWindow(Duration.parse(v));
            break;
          case "permissions":
            {
              Set<String> granted = new LinkedHashSet<>();
              for (String p : v.split(",")) {
                if (!p.isBlank()) {
                  granted.add(p.trim());
                }
              }
              b.permissions(granted);
              break;
            }
          case "token-expires-at":
            b.tokenExpiresAt(Instant.parse(v));
            break;
          case "http5xx-rate":
            faults.http5xxRate(Double.parseDouble(v));
            break;
          case "transient-error-rate":
            faults.transientErrorRate(Double.parseDouble(v));
            break;
          case "drop-connection-rate":
            faults.dropConnectionRate(Double.parseDouble(v));
            break;
          case "truncated-body-rate":
            faults.truncatedBodyRate(Double.parseDouble(v));
            break;
          case "max-consecutive-faults":
            faults.maxConsecutiveFaults(Integer.parseInt(v));
            break;
          case "app-rate-limit-code":
            faults.appRateLimitCode(Integer.parseInt(v));
            break;
          case "app-calls-per-window":
            faults.appCallsPerWindow(Integer.parseInt(v));
            break;
          case "removed-metrics":
            b.removedMetrics(
                java.util.Arrays.stream(v.split(","))
                    .map(String::strip)
                    .filter(m -> !m.isEmpty())
                    .toArray(String[]::new));
            break;
          case "unsupported":
            MetricChurn.parsePairs(v, b::unsupportedMetric);
            break;
          case "omitted-metrics":
            MetricChurn.parsePairs(v, b::omittedMetric);
            break;
          case "malformed-page-rate":
            faults.malformedPageRate(Double.parseDouble(v));
            break;
          case "self-pointing-pages":
            faults.selfPointingPages(true);
            break;
          case "repeated-items-across-pages":
            faults.repeatedItemsAcrossPages(true);
            break;
          case "odd-items":
            faults.oddItems(true);
            break;
          case "swapped-batch-answers-rate":
            faults.swappedBatchAnswersRate(Double.parseDouble(v));
            break;
          case "slow-headers-rate":
            faults.slowHeadersRate(Double.parseDouble(v));
            break;
          case "slow-headers-delay":
            faults.slowHeadersDelay(Duration.parse(v));
            break;
          case "trickled-body-rate":
            faults.trickledBodyRate(Double.parseDouble(v));
            break;
          case "trickle-byte-delay":
            faults.trickleByteDelay(Duration.parse(v));
            break;
          case "regain-access-minutes":
            faults.regainAccessMinutes(Integer.parseInt(v));
            break;
          case "retry-after-seconds":
            faults.retryAfterSeconds(Integer.parseInt(v));
            break;
          case "strict-thirty-days":
            b.strictThirtyDays();
            break;
          default:
            break;
        }
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(
            "bad value for --" + e.getKey() + "=" + v + ": " + ex.getMessage());
      }
    }
    try {
      return b.faults(faults.build());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("bad fault flags: " + ex.getMessage());
    }
  }

  static void help(PrintStream out) {
    out.println("Usage: java -jar instabeam-emulator.jar [--flag=value ...]");
    out.println(
        "Serves a deterministic Instagram Graph API on http://127.0.0.1:PORT (/v25.0/... or unversioned).");
    FLAGS.forEach((name, text) -> out.printf("  --%-26s %s%n", name, text));
    out.println(
        "Admin: GET /__emulator/stats, GET /__emulator/requests, POST /__emulator/clock?set=ISO|advance=P1D,");
    out.println("       POST /__emulator/reset");
  }
}
