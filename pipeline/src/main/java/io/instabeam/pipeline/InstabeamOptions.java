package io.instabeam.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.transforms.Login;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The job's options ({@code --name=value}). This interface is the contract with schedulers and
 * scripts; {@code --help} and the options reference in {@code docs/operations.md} are generated
 * from its annotations. {@code --accessToken} is declared for {@code --help} only: {@link Main}
 * takes it out of the arguments before Beam parses them, and the getter is {@link JsonIgnore}d
 * besides, so the token is never part of the options that runners serialize, log and show in their
 * UIs.
 */
public interface InstabeamOptions extends PipelineOptions {
  @Description(
      "Graph API access token (also env INSTAGRAM_ACCESS_TOKEN, --accessTokenFile or --accessTokenSecret). "
          + "Required unless --demo.")
  @JsonIgnore
  String getAccessToken();

  void setAccessToken(String value);

  @Description("File holding the Graph API access token (its first line).")
  String getAccessTokenFile();

  void setAccessTokenFile(String value);

  @Description("GCP Secret Manager version holding the token: projects/P/secrets/S/versions/V.")
  String getAccessTokenSecret();

  void setAccessTokenSecret(String value);

  @Description(
      "Base URL of the Graph API. Default: "
          + GraphApiConfig.DEFAULT_BASE_URL
          + " with Facebook Login, "
          + GraphApiConfig.INSTAGRAM_BASE_URL
          + " with Instagram Login.")
  String getGraphApiUrl();

  void setGraphApiUrl(String value);

  @Description(
      "Which login the token comes from: facebook (Instagram API with Facebook Login: accounts through the "
          + "Facebook pages the token manages), instagram (Instagram API with Instagram Login: the token's own account, "
          + "no page, fewer metrics) or auto: a token starting with "
          + Login.INSTAGRAM_TOKEN_PREFIX
          + " is Instagram "
          + "Login, any other Facebook Login.")
  @Default.String("auto")
  String getLogin();

  void setLogin(String value);

  @Description("Graph API version path segment.")
  @Default.String(GraphApiConfig.DEFAULT_API_VERSION)
  String getApiVersion();

  void setApiVersion(String value);

  @Description(
      "Metrics and fields to request: current (every metric Meta serves today, per object kind) or airbyte "
          + "(exactly Airbyte's requests and records).")
  @Default.String("current")
  String getMetricSet();

  void setMetricSet(String value);

  @Description(
      "Earliest data for user_insights, YYYY-MM-DDTHH:MM:SSZ. Default: 2 years before now (the API serves "
          + "at most 90 days of account insights, so older dates start at its retention limit).")
  String getStartDate();

  void setStartDate(String value);

  @Description(
      "Comma list of streams: Api, users, user_lifetime_insights, user_insights, media, media_insights, "
          + "stories, story_insights, and the optional media_comments, tagged_media, competitors, competitor_media, "
          + "collaborative_media. Default: Airbyte's seven (all but Api and the optional ones).")
  String getStreams();

  void setStreams(String value);

  @Description(
      "Comma list of Instagram business account ids to sync; an id that discovery does not list (an "
          + "account a Business portfolio owns) is read directly, with one call. Default: every account discovery lists.")
  String getAccounts();

  void setAccounts(String value);

  @Description(
      "Business portfolio id whose Instagram accounts are read too (its owned_instagram_accounts; needs "
          + "business_management; Facebook Login).")
  String getBusinessId();

  void setBusinessId(String value);

  @Description(
      "Comma list of Instagram usernames of business or creator accounts that the competitors and "
          + "competitor_media streams read through Business Discovery (Facebook Login). Under --demo: the demo's "
          + "competitor profiles.")
  String getCompetitors();

  void setCompetitors(String value);

  @Description("Where records go: files or bigquery.")
  @Default.String("files")
  String getSink();

  void setSink(String value);

  @Description("File format of the files sink: jsonl or parquet.")
  @Default.String("jsonl")
  String getFormat();

  void setFormat(String value);

  @Description("Output directory or gs:// prefix of the files sink; stream S goes to OUTPUT/S/.")
  @Default.String("./output")
  String getOutput();

  void setOutput(String value);

  @Description("BigQuery dataset of the bigquery sink, project:dataset.")
  String getBigQueryDataset();

  void setBigQueryDataset(String value);

  @Description(
      "State file (local path or gs://): read at start, written after the sink committed. Default: none.")
  String getState();

  void setState(String value);

  @Description(
      "full_refresh_overwrite, full_refresh_append, incremental_append or incremental_append_deduped, for "
          + "every stream or per stream (media:incremental_append_deduped,media_insights:incremental_append_deduped). "
          + "Incremental: user_insights, media_comments, media, stories, media_insights. "
          + "Default: incremental_append for user_insights and media_comments, full_refresh_overwrite for the rest.")
  String getSyncMode();

  void setSyncMode(String value);

  @Description(
      "Days of user_insights re-read before the state's watermark (Meta corrects insights for ~48 hours); "
          + "incremental media and stories re-read as many days before their newest post.")
  @Default.Integer(2)
  int getLookbackDays();

  void setLookbackDays(int value);

  @Description(
      "Incremental media and stories: posts younger than this many days are read again on every run, with "
          + "their insights (likes, comments and media_url keep changing on recent posts).")
  @Default.Integer(30)
  int getMediaRefreshDays();

  void setMediaRefreshDays(int value);

  @Description(
      "Incremental media_insights: the staleness bound of posts older than --mediaRefreshDays. Each is read "
          + "again at least every this many days (in a rotation spread evenly over the days), and whenever its likes or "
          + "comments moved.")
  @Default.Integer(7)
  int getInsightsMaxAgeDays();

  void setInsightsMaxAgeDays(int value);

  @Description(
      "Let a stream that held records replace them with none when a run reads none (overwrite modes). "
          + "By default such a run fails and publishes nothing: an empty answer more often means a token that lost its "
          + "pages than data that is gone. Stories may always be empty.")
  @Default.Boolean(false)
  boolean getAllowEmpty();

  void setAllowEmpty(boolean value);

  @Description("Run against an embedded Graph API emulator with demo data (no token needed).")
  @Default.Boolean(false)
  boolean getDemo();

  void setDemo(boolean value);

  @Description(
      "The run's notion of now, ISO-8601 (for backfills and tests). Default: the current time.")
  String getNow();

  void setNow(String value);

  @Description(
      "Attempts per Graph API request on transient faults (429, 5xx, network, is_transient).")
  @Default.Integer(GraphApiConfig.DEFAULT_MAX_ATTEMPTS)
  int getMaxAttempts();

  void setMaxAttempts(int value);

  @Description(
      "Longest time one request may spend in retries and rate-limit waits, in seconds. A wait Meta asks "
          + "for (estimated_time_to_regain_access, Retry-After) that would take longer fails the run at once.")
  @Default.Long(GraphApiConfig.DEFAULT_MAX_RETRY_SECONDS)
  long getMaxRetrySeconds();

  void setMaxRetrySeconds(long value);

  @Description(
      "Deadline of one Graph API HTTP request in seconds: connecting, the headers and the whole body. A "
          + "request past it is retried like a network error.")
  @Default.Integer(GraphApiConfig.DEFAULT_TIMEOUT_SECONDS)
  int getRequestTimeoutSeconds();

  void setRequestTimeoutSeconds(int value);

  @Description("First retry delay in milliseconds; doubles per attempt, with jitter.")
  @Default.Long(GraphApiConfig.DEFAULT_BACKOFF_MILLIS)
  long getRetryBackoffMillis();

  void setRetryBackoffMillis(long value);

  @Description(
      "Usage percentage (Meta's X-Business-Use-Case-Usage / X-App-Usage) above which calls are paced.")
  @Default.Integer(GraphApiConfig.DEFAULT_USAGE_CEILING_PERCENT)
  int getUsageCeilingPercent();

  void setUsageCeilingPercent(int value);

  @Description(
      "Length of the rolling window Meta's usage percentages refer to, in seconds (paces the calls).")
  @Default.Long(GraphApiConfig.DEFAULT_RATE_WINDOW_SECONDS)
  long getRateWindowSeconds();

  void setRateWindowSeconds(long value);

  @Description("Graph API calls in flight per Instagram account, per worker.")
  @Default.Integer(GraphApiConfig.DEFAULT_MAX_CONCURRENT_PER_ACCOUNT)
  int getMaxConcurrentPerAccount();

  void setMaxConcurrentPerAccount(int value);

  @Description(
      "Batch requests for media and story insights a worker keeps in flight at once, across its threads "
          + "(each account still gets at most --maxConcurrentPerAccount). Requests wait on the network, not the CPU: "
          + "this, not the runner's threads, sets how many run at once.")
  @Default.Integer(GraphApiConfig.DEFAULT_MAX_REQUESTS_IN_FLIGHT)
  int getMaxRequestsInFlight();

  void setMaxRequestsInFlight(int value);

  @Description("Seconds between progress lines on long runs (0: none).")
  @Default.Integer(30)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  @Description("Also write the run summary as JSON to this path (local or gs://), for schedulers.")
  String getSummaryFile();

  void setSummaryFile(String value);
}
