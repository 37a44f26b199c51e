package io.instabeam.pipeline;

import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.pipeline.sink.SinkChoice;
import io.instabeam.schemas.StreamCatalog;
import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.SyncMode;
import io.instabeam.transforms.Login;
import io.instabeam.transforms.MetricSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration of one run, built from {@link InstabeamOptions} before any work
 * starts: every bad option is a {@link ConfigException} naming the option and the fix. {@code
 * streams} are the selected streams the token's login serves; {@code unservedStreams} the selected
 * ones it does not (reported, not read).
 */
public record JobConfig(
    GraphApiConfig graph,
    List<StreamDefinition> streams,
    List<StreamDefinition> unservedStreams,
    Map<String, SyncMode> syncModes,
    List<String> accounts,
    String businessId,
    Instant now,
    Instant startDate,
    boolean startDateGiven,
    Duration lookback,
    Duration mediaRefresh,
    Duration insightsMaxAge,
    SinkChoice sink,
    String statePath,
    String summaryFile,
    MetricSet metricSet,
    List<String> competitors) {

  /**
   * An Instagram username: letters, digits, periods and underscores, at most 30 (Instagram's own
   * rule).
   */
  private static final java.util.regex.Pattern USERNAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9._]{1,30}");

  /** Strict: 2026-11-31 is an error, not 1 December. */
  static final DateTimeFormatter START_DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
          .withResolverStyle(ResolverStyle.STRICT);

  public SyncMode syncMode(String stream) {
    return syncModes.get(stream);
  }

  public Login login() {
    return graph.login();
  }

  public boolean selects(String stream) {
    return streams.stream().anyMatch(s -> s.name().equals(stream));
  }

  /**
   * Validates {@code options}; {@code token} is the resolved access token (see {@link
   * #resolveToken}).
   */
  public static JobConfig from(InstabeamOptions options, AccessToken token) {
    Instant now = parseNow(options.getNow());
    List<StreamDefinition> selected = parseStreams(options.getStreams());
    Map<String, SyncMode> syncModes = parseSyncModes(options.getSyncMode(), selected);
    Login login = parseLogin(options.getLogin(), token);
    List<StreamDefinition> unserved =
        selected.stream().filter(s -> !Streams.get(s.name()).servedBy(login)).toList();
    List<StreamDefinition> streams = selected.stream().filter(s -> !unserved.contains(s)).toList();
    if (streams.isEmpty()) {
      throw ConfigException.of(
          "streams",
          options.getStreams(),
          "none of these streams is served with "
              + login.title()
              + "; choose others, e.g. "
              + StreamCatalog.USERS
              + ","
              + StreamCatalog.MEDIA);
    }
    unserved.forEach(s -> syncModes.remove(s.name()));
    String baseUrl =
        options.getGraphApiUrl() == null
            ? login.defaultBaseUrl()
            : requireUrl(options.getGraphApiUrl());
    GraphApiConfig graph =
        GraphApiConfig.of(baseUrl, requireVersion(options.getApiVersion()), token)
            .withLogin(login)
            .withRetries(
                positive("maxAttempts", options.getMaxAttempts()),
                positive("maxRetrySeconds", options.getMaxRetrySeconds()) * 1000L,
                positive("retryBackoffMillis", options.getRetryBackoffMillis()))
            .withRateBudget(
                percent(options.getUsageCeilingPercent()),
                positive("rateWindowSeconds", options.getRateWindowSeconds()),
                positive("maxConcurrentPerAccount", options.getMaxConcurrentPerAccount()))
            .withMaxRequestsInFlight(
                positive("maxRequestsInFlight", options.getMaxRequestsInFlight()))
            .withRequestTimeout(
                positive("requestTimeoutSeconds", options.getRequestTimeoutSeconds()) * 1000);
    SinkChoice sink =
        SinkChoice.of(
            options.getSink(),
            options.getFormat(),
            options.getOutput(),
            options.getBigQueryDataset(),
            options.getTempLocation(),
            options.getAllowEmpty(),
            syncModes);
    if (options.getProgressSeconds() < 0) {
      throw ConfigException.of(
          "progressSeconds",
          String.valueOf(options.getProgressSeconds()),
          "use a number of seconds, or 0 for no progress lines");
    }
    if (options.getLookbackDays() < 0 || options.getLookbackDays() > 90) {
      throw ConfigException.of(
          "lookbackDays",
          String.valueOf(options.getLookbackDays()),
          "use a number of days from 0 to 90");
    }
    if (options.getMediaRefreshDays() < 1 || options.getMediaRefreshDays() > 365) {
      throw ConfigException.of(
          "mediaRefreshDays",
          String.valueOf(options.getMediaRefreshDays()),
          "use a number of days from 1 to 365");
    }
    if (options.getInsightsMaxAgeDays() < 1 || options.getInsightsMaxAgeDays() > 90) {
      throw ConfigException.of(
          "insightsMaxAgeDays",
          String.valueOf(options.getInsightsMaxAgeDays()),
          "use a number of days from 1 to 90");
    }
    return new JobConfig(
        graph,
        streams,
        unserved,
        syncModes,
        parseAccounts(options.getAccounts()),
        parseBusinessId(options.getBusinessId(), login),
        now,
        parseStartDate(options.getStartDate(), now),
        options.getStartDate() != null,
        Duration.ofDays(options.getLookbackDays()),
        Duration.ofDays(options.getMediaRefreshDays()),
        Duration.ofDays(options.getInsightsMaxAgeDays()),
        sink,
        options.getState(),
        options.getSummaryFile(),
        MetricSet.fromOption(
            ConfigException.oneOf("metricSet", options.getMetricSet(), "current", "airbyte")),
        parseCompetitors(options.getCompetitors(), streams));
  }

  /**
   * The usernames of {@code --competitors}: required when competitors or competitor_media is
   * selected, each a valid Instagram username (it goes into the Business Discovery request as is).
   */
  static List<String> parseCompetitors(String value, List<StreamDefinition> streams) {
    List<String> usernames =
        parseList(value).stream()
            .map(u -> u.startsWith("@") ? u.substring(1) : u)
            .distinct()
            .toList();
    for (String username : usernames) {
      if (!USERNAME.matcher(username).matches()) {
        throw ConfigException.of(
            "competitors",
            value,
            "'"
                + username
                + "' is not an Instagram username (letters, "
                + "digits, '.' and '_', at most 30)");
      }
    }
    boolean selected =
        streams.stream()
            .anyMatch(
                s ->
                    s.name().equals(StreamCatalog.COMPETITORS)
                        || s.name().equals(StreamCatalog.COMPETITOR_MEDIA));
    if (selected && usernames.isEmpty()) {
      throw ConfigException.of(
          "competitors",
          String.valueOf(value),
          "the competitors and competitor_media streams "
              + "need the usernames to read: give --competitors=username1,username2");
    }
    return usernames;
  }

  /**
   * {@code --login}: {@code auto} takes the login from the token ({@link Login#ofToken}: {@code
   * IGAA…} is Instagram Login), so a token pasted into a Facebook-Login job and an Instagram one
   * both just work.
   */
  static Login parseLogin(String value, AccessToken token) {
    return loginOption(value).orElseGet(() -> Login.ofToken(token.value()));
  }

  /** The login {@code --login} names; empty for {@code auto}. */
  static Optional<Login> loginOption(String value) {
    String login = ConfigException.oneOf("login", value, "auto", "facebook", "instagram");
    return login.equals("auto") ? Optional.empty() : Optional.of(Login.fromOption(login));
  }

  /** Instagram account ids are numbers (17841…); anything else is a typo or a username. */
  static List<String> parseAccounts(String value) {
    List<String> ids = parseList(value);
    for (String id : ids) {
      if (!id.matches("\\d{1,30}")) {
        throw ConfigException.of(
            "accounts",
            value,
            "'"
                + id
                + "' is not an Instagram account id; give the "
                + "numeric ids (17841…) that `instabeam check` lists, comma separated");
      }
    }
    return ids;
  }

  static String parseBusinessId(String value, Login login) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!value.strip().matches("\\d{1,30}")) {
      throw ConfigException.of(
          "businessId",
          value,
          "give the Business portfolio's numeric id (Business settings " + "→ Business info)");
    }
    if (login != Login.FACEBOOK) {
      throw ConfigException.of(
          "businessId",
          value,
          "Business portfolios are read with Facebook Login; an "
              + "Instagram-Login token reads its own account only");
    }
    return value.strip();
  }

  /**
   * The access token from exactly one of {@code --accessToken}, {@code --accessTokenFile}, {@code
   * --accessTokenSecret} (GCP Secret Manager) or the environment variable {@code
   * INSTAGRAM_ACCESS_TOKEN}. Two sources with different tokens are refused: which one a run used
   * would be a guess.
   */
  public static AccessToken resolveToken(
      String accessToken, InstabeamOptions options, Map<String, String> env) {
    Map<String, AccessToken> given = new LinkedHashMap<>();
    if (accessToken != null) {
      given.put("--accessToken", token("--accessToken", accessToken));
    }
    if (options.getAccessTokenFile() != null) {
      given.put("--accessTokenFile", tokenFromFile(options.getAccessTokenFile()));
    }
    if (options.getAccessTokenSecret() != null) {
      given.put(
          "--accessTokenSecret",
          token(
              "--accessTokenSecret",
              SecretManagerToken.read(options.getAccessTokenSecret()).value()));
    }
    String fromEnv = env.get("INSTAGRAM_ACCESS_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      given.put("INSTAGRAM_ACCESS_TOKEN", token("INSTAGRAM_ACCESS_TOKEN", fromEnv));
    }
    if (given.isEmpty()) {
      throw new ConfigException(
          "no access token: pass --accessToken, --accessTokenFile or --accessTokenSecret, or "
              + "set INSTAGRAM_ACCESS_TOKEN (or run --demo to try instabeam against the embedded emulator)");
    }
    if (given.values().stream().distinct().count() > 1) {
      throw new ConfigException(
          "the access token is given twice, with different values, by "
              + String.join(" and ", given.keySet())
              + ": give it one way only");
    }
    return given.values().iterator().next();
  }

  private static AccessToken tokenFromFile(String path) {
    String shown = maskIfToken(path);
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw ConfigException.of(
          "accessTokenFile",
          shown,
          "cannot read it ("
              + e.getClass().getSimpleName()
              + "); give a readable file whose first line is the token");
    }
    if (lines.isEmpty() || lines.get(0).isBlank()) {
      throw ConfigException.of(
          "accessTokenFile", shown, "the file is empty; its first line must be the token");
    }
    return token("--accessTokenFile", lines.get(0));
  }

  /**
   * The token, checked: a line break or space inside it (a paste gone wrong) would corrupt every
   * request.
   */
  private static AccessToken token(String source, String value) {
    String token = value.strip();
    if (token.isEmpty()) {
      throw new ConfigException("the access token of " + source + " is empty");
    }
    if (!token.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new ConfigException(
          "the access token of "
              + source
              + " contains a line break, a space or another "
              + "character no token has: copy the token again, as one line");
    }
    return AccessToken.of(token);
  }

  /**
   * The value of a path-like option, for a message; "***" when it looks like an access token pasted
   * in place of the path (long, one word, no path characters), so an error never echoes a token.
   */
  static String maskIfToken(String value) {
    return value != null && value.matches("[A-Za-z0-9_-]{32,}")
        ? "*** (a token, not a path?)"
        : value;
  }

  static List<StreamDefinition> parseStreams(String value) {
    if (value == null) {
      return StreamCatalog.defaults();
    }
    List<String> names = parseList(value);
    if (names.isEmpty()) {
      throw ConfigException.of(
          "streams",
          value,
          "it names no stream; give a comma list such as media,user_insights, "
              + "or leave the option out to read "
              + StreamCatalog.defaults().stream().map(StreamDefinition::name).toList());
    }
    List<StreamDefinition> streams = new ArrayList<>();
    for (String name : names) {
      try {
        StreamDefinition stream = StreamCatalog.get(name);
        if (!streams.contains(stream)) {
          streams.add(stream);
        }
      } catch (IllegalArgumentException e) {
        throw ConfigException.of("streams", value, e.getMessage());
      }
    }
    return streams;
  }

  /**
   * One mode for every selected stream ({@code incremental_append}) or per stream ({@code
   * media:full_refresh_append}).
   */
  static Map<String, SyncMode> parseSyncModes(String value, List<StreamDefinition> streams) {
    Map<String, SyncMode> modes = new LinkedHashMap<>();
    streams.forEach(s -> modes.put(s.name(), s.defaultSyncMode()));
    if (value == null || value.isBlank()) {
      return modes;
    }
    Map<String, SyncMode> given = new LinkedHashMap<>(); // per entry target: "" for every stream
    for (String entry : parseList(value)) {
      String[] parts = entry.split(":", 2);
      if (parts.length == 2 && parts[0].isBlank()) {
        throw ConfigException.of(
            "syncMode", value, "give STREAM:MODE, e.g. user_insights:incremental_append_deduped");
      }
      SyncMode mode;
      try {
        mode = SyncMode.fromOption(parts[parts.length - 1]);
      } catch (IllegalArgumentException e) {
        throw ConfigException.of("syncMode", value, e.getMessage());
      }
      SyncMode earlier = given.put(parts.length == 1 ? "" : parts[0].strip(), mode);
      if (earlier != null && earlier != mode) {
        throw ConfigException.of(
            "syncMode",
            value,
            (parts.length == 1 ? "it" : "stream " + parts[0].strip())
                + " is given two modes, "
                + earlier
                + " and "
                + mode
                + "; give one");
      }
      List<StreamDefinition> targets =
          parts.length == 1 ? streams : List.of(parseStreams(parts[0]).get(0));
      if (!streams.containsAll(targets)) {
        // A mode for a stream the run does not read is most likely a typo in --streams or
        // --syncMode.
        throw ConfigException.of("syncMode", value, "stream " + parts[0] + " is not in --streams");
      }
      for (StreamDefinition stream : targets) {
        if (!stream.supports(mode)) {
          throw ConfigException.of(
              "syncMode",
              value,
              "stream "
                  + stream.name()
                  + " supports only "
                  + stream.syncModes()
                  + "; choose one of those, or give modes per stream, e.g. "
                  + "--syncMode=user_insights:"
                  + mode
                  + (parts.length == 1 ? " (full-refresh streams keep overwrite)" : ""));
        }
        modes.put(stream.name(), mode);
      }
    }
    return modes;
  }

  static Instant parseStartDate(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return now.atOffset(ZoneOffset.UTC).minusYears(2).toInstant();
    }
    try {
      Instant start = LocalDateTime.parse(value, START_DATE).toInstant(ZoneOffset.UTC);
      if (start.isAfter(now)) {
        throw ConfigException.of("startDate", value, "it is in the future (now is " + now + ")");
      }
      return start;
    } catch (DateTimeParseException e) {
      throw ConfigException.of(
          "startDate", value, "use YYYY-MM-DDTHH:MM:SSZ, e.g. 2025-01-01T00:00:00Z");
    }
  }

  static Instant parseNow(String value) {
    if (value == null || value.isBlank()) {
      return Instant.now();
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ConfigException.of("now", value, "use an ISO-8601 instant, e.g. 2025-06-30T12:00:00Z");
    }
  }

  static List<String> parseList(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String requireUrl(String url) {
    if (url == null || !url.matches("https?://[^\\s/]+(/.*)?")) {
      throw ConfigException.of(
          "graphApiUrl",
          String.valueOf(url),
          "give an http(s) URL such as https://graph.facebook.com");
    }
    return url;
  }

  private static String requireVersion(String version) {
    if (version == null || !version.matches("v\\d+\\.\\d+")) {
      throw ConfigException.of(
          "apiVersion", String.valueOf(version), "give a Graph API version such as v25.0");
    }
    return version;
  }

  private static <T extends Number> T positive(String option, T value) {
    if (value.longValue() <= 0) {
      throw ConfigException.of(option, String.valueOf(value), "use a number greater than 0");
    }
    return value;
  }

  private static int percent(int value) {
    if (value < 1 || value > 100) {
      throw ConfigException.of(
          "usageCeilingPercent", String.valueOf(value), "use a percentage from 1 to 100");
    }
    return value;
  }
}
