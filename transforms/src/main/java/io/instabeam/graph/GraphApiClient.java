package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.UrlEncodedContent;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way instabeam talks to the Graph API. Every request carries the token in the
 * Authorization header (never in the URL), spends the rate budget of its Instagram account, and is
 * retried or failed by the {@link ErrorPolicy}. Not serializable: DoFns build one in {@code @Setup}
 * from a {@link GraphApiConfig}. It holds the budgets it has used, shared with the other clients of
 * its run in the worker (see {@link RateBudget#of}). Every wait and every reading of the time goes
 * through its {@link Ticker}.
 */
public final class GraphApiClient {
  /** Meta's limit of sub-requests in one batch request. */
  public static final int MAX_BATCH_SIZE = 50;

  public static final String METRICS_NAMESPACE = "instabeam";
  private static final Logger LOG = LoggerFactory.getLogger(GraphApiClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** "requested served" pairs already warned about, per run in this worker. */
  private static final WorkerShared<Set<String>> SERVED_VERSIONS = new WorkerShared<>();

  private final GraphApiConfig config;
  private final Ticker ticker;

  /**
   * The rate budgets this client has used, by account id ({@link RateBudget#APP} for the app's).
   */
  private final Map<String, RateBudget> budgets = new ConcurrentHashMap<>();

  private final Set<String> servedVersions;
  private final HttpRequestFactory http;
  private final Counter httpRequests = Metrics.counter(METRICS_NAMESPACE, "http-requests");
  private final Counter apiCalls = Metrics.counter(METRICS_NAMESPACE, "api-calls");
  private final Counter retries = Metrics.counter(METRICS_NAMESPACE, "retries");
  private final Counter throttlingMsecs = Metrics.counter(METRICS_NAMESPACE, "throttling-msecs");

  public GraphApiClient(GraphApiConfig config) {
    this(config, Ticker.SYSTEM);
  }

  GraphApiClient(GraphApiConfig config, Ticker ticker) {
    this.config = config;
    this.ticker = ticker;
    this.servedVersions = SERVED_VERSIONS.get(config.run(), ConcurrentHashMap::newKeySet);
    HttpWireLog.protect(config.token());
    NetHttpTransport transport =
        new NetHttpTransport.Builder()
            .setConnectionFactory(
                url -> RequestDeadline.opened((HttpURLConnection) url.openConnection()))
            .build();
    this.http =
        transport.createRequestFactory(
            request -> {
              request.setConnectTimeout(config.timeoutMillis());
              request.setReadTimeout(config.timeoutMillis());
              request.setNumberOfRetries(0);
              request.setThrowExceptionOnExecuteError(false);
              request.getHeaders().setAuthorization("Bearer " + config.token().value());
            });
  }

  /**
   * GETs one object or edge; any error the policy does not retry away is thrown for the operator.
   */
  public JsonNode get(GraphRequest request) {
    return tryGet(request).bodyOrThrow();
  }

  /**
   * GETs one object or edge; an error that is not retryable is returned, so a stream can apply its
   * skip rules.
   */
  public GraphResponse tryGet(GraphRequest request) {
    return execute(List.of(request)).get(0);
  }

  /**
   * The pages of the edge {@code first} asks for, read one at a time by cursor, with loop
   * detection.
   */
  public EdgePages pages(GraphRequest first) {
    return new EdgePages(this, first);
  }

  /**
   * Sends up to {@value #MAX_BATCH_SIZE} GETs as one batch request ({@code POST /} with {@code
   * batch=[…]}): one HTTP round trip, each sub-request counted by Meta as one call. Sub-requests
   * that fail transiently are retried in the next batch; the responses come back in request order.
   */
  public List<GraphResponse> batch(List<GraphRequest> requests) {
    if (requests.size() > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("a batch holds at most " + MAX_BATCH_SIZE + " requests");
    }
    return execute(requests);
  }

  /**
   * Sends the requests (all of one account) until each has its final outcome: transient faults are
   * retried with backoff, each request on its own (a batch re-sends only the sub-requests that
   * failed), rate limits are waited out, and the rate budget may let only part of a batch go at a
   * time.
   */
  private List<GraphResponse> execute(List<GraphRequest> requests) {
    GraphResponse[] results = new GraphResponse[requests.size()];
    int[] attempts = new int[requests.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      pending.add(i);
    }
    long deadline = ticker.millis() + config.maxRetryMillis();
    String accountId = requests.get(0).accountId();
    while (!pending.isEmpty()) {
      List<GraphRequest> round = new ArrayList<>();
      pending.forEach(i -> round.add(requests.get(i)));
      List<Outcome> outcomes = sendOnce(round, accountId, deadline);
      long pause = 0;
      String pauseReason = null;
      List<Integer> retry = new ArrayList<>();
      for (int j = 0; j < outcomes.size(); j++) {
        int index = pending.get(j);
        int attempt = ++attempts[index];
        Outcome outcome = outcomes.get(j);
        GraphRequest request = round.get(j);
        ErrorPolicy.Action action =
            outcome.error == null ? null : ErrorPolicy.classify(outcome.error);
        boolean retryable =
            action == ErrorPolicy.Action.THROTTLE
                || (action == ErrorPolicy.Action.RETRY
                    && attempt < ErrorPolicy.attemptsFor(outcome.error, config.maxAttempts()));
        long now = ticker.millis();
        if (retryable
            && outcome.retryAfterMillis > 0
            && now + outcome.retryAfterMillis > deadline) {
          // Meta's own wait would outlast the retry time: say so now rather than sleep towards a
          // sure failure.
          outcome =
              Outcome.failed(
                  GraphApiError.waitTooLong(
                      tooLong(retryAfterWait(outcome, now, subjectOf(outcome.error, request)))));
          retryable = false;
        }
        if (action == null || !retryable || now >= deadline) {
          results[index] =
              outcome.error == null
                  ? GraphResponse.ok(request, outcome.body)
                  : GraphResponse.failed(request, outcome.error, config.login());
        } else {
          retry.add(index);
          if (action == ErrorPolicy.Action.THROTTLE) {
            throttle(outcome, attempt, request);
          } else {
            long wait = Math.max(backoff(attempt), outcome.retryAfterMillis);
            if (wait > pause) {
              pause = wait;
              pauseReason = request + ": " + outcome.error.summary();
            }
          }
          LOG.debug("Retrying {}: {}", request, outcome.error.summary());
        }
      }
      if (!retry.isEmpty()) {
        retries.inc(retry.size());
        long wait = Math.min(pause, Math.max(0, deadline - ticker.millis()));
        if (wait > RateBudget.LOGGED_WAIT_MILLIS) {
          LOG.info(
              "Retrying in {} s, at {}, after {}",
              (wait + 999) / 1000,
              Instant.ofEpochMilli(ticker.millis() + wait),
              pauseReason);
        }
        sleep(wait);
      }
      // Sub-requests the budget held back go next, then the retries.
      List<Integer> next = new ArrayList<>(pending.subList(outcomes.size(), pending.size()));
      next.addAll(retry);
      pending = next;
    }
    return List.of(results);
  }

  private long backoff(int attempt) {
    long base = Math.min(60_000L, config.initialBackoffMillis() << Math.min(attempt - 1, 16));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  /**
   * A rate limit: hold back the account's (or the app's) next calls. The usage header of the error
   * response already set Meta's regain-access estimate; a {@code Retry-After} header asks for its
   * own wait, and this backoff covers errors that came with neither.
   */
  private void throttle(Outcome outcome, int attempt, GraphRequest request) {
    RateBudget budget = budgetOf(outcome.error, request);
    long backoff = backoff(attempt);
    if (outcome.retryAfterMillis > backoff) {
      budget.block(
          outcome.retryAfterMillis, retryAfterWait(outcome, ticker.millis(), budget.subject()));
    } else {
      budget.block(
          backoff,
          "Meta rate-limits "
              + budget.subject()
              + " ("
              + outcome.error.summary()
              + ") without saying for how long; backing off "
              + (backoff + 999) / 1000
              + " s");
    }
  }

  private RateBudget budgetOf(GraphApiError error, GraphRequest request) {
    return isAppLevel(error) || request.accountId() == null
        ? appBudget()
        : accountBudget(request.accountId());
  }

  private String subjectOf(GraphApiError error, GraphRequest request) {
    return ErrorPolicy.classify(error) == ErrorPolicy.Action.THROTTLE
        ? budgetOf(error, request).subject()
        : request.toString();
  }

  /** The wait a {@code Retry-After} header asks for, from {@code now}, in words. */
  private static String retryAfterWait(Outcome outcome, long now, String subject) {
    return "Meta asks to wait "
        + outcome.retryAfterMillis / 1000
        + " s (Retry-After, until "
        + Instant.ofEpochMilli(now + outcome.retryAfterMillis)
        + ") for "
        + subject;
  }

  /** The message of a wait longer than what the retry time (--maxRetrySeconds) leaves. */
  private String tooLong(String wait) {
    return wait
        + "; that exceeds --maxRetrySeconds="
        + config.maxRetryMillis() / 1000
        + ": run later, or raise "
        + "--maxRetrySeconds";
  }

  private static boolean isAppLevel(GraphApiError error) {
    return error.code() == 4 || error.code() == 17 || error.code() == 32 || error.code() == 613;
  }

  private RateBudget accountBudget(String accountId) {
    return budgets.computeIfAbsent(
        accountId,
        id ->
            RateBudget.of(
                config.run(),
                ticker,
                id,
                config.maxConcurrentPerAccount(),
                config.usageCeilingPercent(),
                config.rateWindowSeconds() * 1000L));
  }

  private RateBudget appBudget() {
    return budgets.computeIfAbsent(
        RateBudget.APP,
        id ->
            RateBudget.of(
                config.run(),
                ticker,
                id,
                Integer.MAX_VALUE / 2,
                config.usageCeilingPercent(),
                config.rateWindowSeconds() * 1000L));
  }

  /**
   * One HTTP round trip for as many of {@code round} as the budgets allow now (at least the first):
   * an outcome per request sent, in order (a batch answers each sub-request separately).
   */
  private List<Outcome> sendOnce(List<GraphRequest> round, String accountId, long deadline) {
    RateBudget account = accountId == null ? null : accountBudget(accountId);
    RateBudget app = appBudget();
    RateBudget.Permit accountPermit = null;
    RateBudget.Permit appPermit;
    try {
      accountPermit =
          account == null ? null : account.acquire(round.size(), deadline, config.maxRetryMillis());
      appPermit =
          app.acquire(
              accountPermit == null ? round.size() : accountPermit.calls,
              deadline,
              config.maxRetryMillis());
    } catch (InterruptedException e) {
      if (accountPermit != null) {
        account.release(accountPermit, 0);
      }
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rate budget", e);
    } catch (RateBudget.WaitTooLong e) {
      if (accountPermit != null) {
        account.release(accountPermit, 0);
      }
      return Reply.lost(round.size(), GraphApiError.waitTooLong(tooLong(e.getMessage()))).outcomes;
    }
    if (accountPermit != null && appPermit.calls < accountPermit.calls) {
      account.shrink(accountPermit, appPermit.calls);
    }
    throttlingMsecs.inc(
        appPermit.waitedMillis + (accountPermit == null ? 0 : accountPermit.waitedMillis));
    List<GraphRequest> sent = round.subList(0, appPermit.calls);
    Reply reply;
    int answered = 0;
    try {
      httpRequests.inc();
      apiCalls.inc(sent.size());
      reply =
          sent.size() == 1 && !sent.get(0).carriesSecret() ? sendGet(sent.get(0)) : sendBatch(sent);
      answered = (int) reply.outcomes.stream().filter(Outcome::answered).count();
      if (reply.appUsage != null) {
        app.observeUsage(
            appPermit, answered, reply.appUsage.percent(), reply.appUsage.regainAccessMinutes());
      }
      for (Map.Entry<String, Usage> usage : reply.accountUsage.entrySet()) {
        boolean ours = usage.getKey().equals(accountId);
        accountBudget(usage.getKey())
            .observeUsage(
                ours ? accountPermit : null,
                answered,
                usage.getValue().percent(),
                usage.getValue().regainAccessMinutes());
      }
      return reply.outcomes;
    } finally {
      if (accountPermit != null) {
        account.release(accountPermit, answered);
      }
      app.release(appPermit, answered);
    }
  }

  private Reply sendGet(GraphRequest request) {
    GenericUrl url =
        new GenericUrl(config.baseUrl() + "/" + config.apiVersion() + "/" + request.path());
    request.params().forEach(url::set);
    RequestDeadline deadline = RequestDeadline.start(config.timeoutMillis());
    try (deadline) {
      HttpResponse response = http.buildGetRequest(url).execute();
      noteServedVersion(response);
      try {
        String body = deadline.readBody(response);
        return Reply.of(
            response,
            List.of(checked(request, Outcome.of(response.getStatusCode(), body), false)),
            ticker.millis());
      } finally {
        response.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return lost(1, deadline, e);
    }
  }

  private Reply sendBatch(List<GraphRequest> round) {
    ArrayNode batch = JSON.createArrayNode();
    round.forEach(
        r ->
            batch
                .addObject()
                .put("method", "GET")
                .put("relative_url", r.relativeUrl(config.apiVersion())));
    GenericUrl url = new GenericUrl(config.baseUrl() + "/" + config.apiVersion() + "/");
    RequestDeadline deadline = RequestDeadline.start(config.timeoutMillis());
    try (deadline) {
      HttpResponse response =
          http.buildPostRequest(
                  url,
                  new UrlEncodedContent(
                      Map.of("batch", batch.toString(), "include_headers", "false")))
              .execute();
      noteServedVersion(response);
      try {
        Outcome whole = redacted(Outcome.of(response.getStatusCode(), deadline.readBody(response)));
        if (whole.error != null || !whole.body.isArray() || whole.body.size() != round.size()) {
          GraphApiError error =
              whole.error != null
                  ? whole.error
                  : GraphApiError.transport(502, "malformed batch response");
          return Reply.of(response, Reply.lost(round.size(), error).outcomes, ticker.millis());
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < round.size(); i++) {
          JsonNode part = whole.body.get(i);
          // Meta answers null for sub-requests it could not complete in time: retry them like a
          // timeout.
          outcomes.add(
              part == null || part.isNull()
                  ? Outcome.failed(GraphApiError.transport(504, "batch sub-request not completed"))
                  : checked(
                      round.get(i),
                      Outcome.of(part.path("code").asInt(500), part.path("body").asText("")),
                      true));
        }
        return Reply.of(response, distrustedIfMixedUp(round, outcomes), ticker.millis());
      } finally {
        response.disconnect();
      }
    } catch (IOException | RuntimeException e) {
      return lost(round.size(), deadline, e);
    }
  }

  /**
   * An exchange that ended without an answer. The JDK's connection, closed from the deadline's
   * thread while this one reads, may fail with a RuntimeException (a NullPointerException inside
   * HttpURLConnection) instead of an IOException: past the deadline either is the deadline's doing.
   * Any other RuntimeException is a bug, not a fault.
   */
  private Reply lost(int requests, RequestDeadline deadline, Exception e) {
    if (deadline.expired()) {
      return Reply.lost(requests, deadlineError());
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    return Reply.lost(requests, networkError((IOException) e));
  }

  /**
   * Meta serves a call for a version past its end with the oldest version it still has, and names
   * it in the {@code facebook-api-version} header: the run's data then comes from that version,
   * which is said once per run.
   */
  private void noteServedVersion(HttpResponse response) {
    String served = response.getHeaders().getFirstHeaderStringValue("facebook-api-version");
    if (served != null
        && !served.equals(config.apiVersion())
        && servedVersions.add(config.apiVersion() + " " + served)) {
      LOG.warn(
          "Meta serves Graph API {} to requests for {}, which is no longer available: this run's data comes "
              + "from {}; set --apiVersion to {} or later",
          served,
          config.apiVersion(),
          served,
          served);
    }
  }

  /**
   * A batch that answered a sub-request about another object may have given any answer to the wrong
   * request: then every final answer that does not name its own object (an error such as "not
   * enough viewers", an empty list) is asked again as well, rather than skip or write it for the
   * wrong item. Transient failures are retried anyway.
   */
  private static List<Outcome> distrustedIfMixedUp(
      List<GraphRequest> round, List<Outcome> outcomes) {
    if (outcomes.stream()
        .noneMatch(
            o -> o.error != null && o.error.type().equals(GraphApiError.MISMATCHED_ANSWER))) {
      return outcomes;
    }
    List<Outcome> distrusted = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome outcome = outcomes.get(i);
      boolean trusted =
          outcome.error == null
              ? AnswerCheck.namesItsObject(round.get(i), outcome.body)
              : ErrorPolicy.classify(outcome.error) != ErrorPolicy.Action.FAIL; // retried anyway
      distrusted.add(
          trusted
              ? outcome
              : Outcome.failed(
                  GraphApiError.mismatchedAnswer(
                      200,
                      "the batch mixed up the answers of its sub-requests, and this one does not name its object")));
    }
    return distrusted;
  }

  /**
   * The outcome, redacted, with a success that {@link AnswerCheck} cannot accept turned into its
   * error.
   */
  private Outcome checked(GraphRequest request, Outcome outcome, boolean inBatch) {
    if (outcome.error == null) {
      GraphApiError problem = AnswerCheck.problem(request, outcome.status, outcome.body, inBatch);
      return problem == null ? outcome : Outcome.failed(problem);
    }
    return redacted(outcome);
  }

  /**
   * Meta may echo a malformed token in an error message: it must not reach logs or the operator.
   * Only the error is redacted, after parsing: a data body may hold the token's text by chance (a
   * short token), and must stay intact.
   */
  private Outcome redacted(Outcome outcome) {
    return outcome.error == null
        ? outcome
        : Outcome.failed(outcome.error.redactedBy(config.token()));
  }

  private GraphApiError networkError(IOException e) {
    return GraphApiError.transport(0, "network error: " + config.token().redact(e.toString()));
  }

  /** A request whose answer was not complete by its deadline: retried like a network error. */
  private GraphApiError deadlineError() {
    return GraphApiError.transport(
        0,
        "no complete answer within "
            + config.timeoutMillis() / 1000.0
            + " s (--requestTimeoutSeconds)");
  }

  /**
   * The outcomes of one round trip and the usage headers that came with it (absent when the answer
   * was lost).
   */
  private record Reply(List<Outcome> outcomes, Usage appUsage, Map<String, Usage> accountUsage) {
    static Reply lost(int requests, GraphApiError error) {
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        outcomes.add(Outcome.failed(error));
      }
      return new Reply(outcomes, null, Map.of());
    }

    /**
     * Reads Meta's usage headers (X-App-Usage for the app, X-Business-Use-Case-Usage per account)
     * and gives the failed outcomes the wait a {@code Retry-After} header asks for (an HTTP date is
     * counted from {@code now}).
     */
    static Reply of(HttpResponse response, List<Outcome> outcomes, long now) {
      long retryAfter = retryAfterMillis(response, now);
      if (retryAfter > 0) {
        outcomes =
            outcomes.stream().map(o -> o.error == null ? o : o.withRetryAfter(retryAfter)).toList();
      }
      Map<String, Usage> accounts = new LinkedHashMap<>();
      JsonNode business = header(response, "x-business-use-case-usage");
      if (business != null) {
        // One entry per business use case type of the account: the highest usage is the one that
        // throttles.
        business
            .fields()
            .forEachRemaining(
                entry -> {
                  for (JsonNode usage : entry.getValue()) {
                    accounts.merge(entry.getKey(), Usage.of(usage), Usage::max);
                  }
                });
      }
      JsonNode app = header(response, "x-app-usage");
      return new Reply(outcomes, app == null ? null : Usage.of(app), accounts);
    }
  }

  /**
   * One usage report: the highest of call count, CPU time and total time (any of them reaching 100%
   * throttles), in percent, and Meta's estimate of the minutes until a throttled account may call
   * again.
   */
  private record Usage(int percent, int regainAccessMinutes) {
    static Usage of(JsonNode usage) {
      int percent =
          Math.max(
              usage.path("call_count").asInt(0),
              Math.max(usage.path("total_cputime").asInt(0), usage.path("total_time").asInt(0)));
      return new Usage(percent, usage.path("estimated_time_to_regain_access").asInt(0));
    }

    static Usage max(Usage a, Usage b) {
      return new Usage(
          Math.max(a.percent, b.percent), Math.max(a.regainAccessMinutes, b.regainAccessMinutes));
    }
  }

  /**
   * The wait a {@code Retry-After} header asks for (seconds or an HTTP date, from {@code now}), 0
   * without one.
   */
  private static long retryAfterMillis(HttpResponse response, long now) {
    String value = response.getHeaders().getFirstHeaderStringValue("retry-after");
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        return Math.max(
            0,
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli()
                - now);
      } catch (DateTimeParseException notADate) {
        LOG.warn("Ignoring an unreadable Retry-After header");
        return 0;
      }
    }
  }

  private static JsonNode header(HttpResponse response, String name) {
    String value = response.getHeaders().getFirstHeaderStringValue(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      LOG.warn("Ignoring an unreadable {} header", name);
      return null;
    }
  }

  private void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      ticker.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying", e);
    }
  }

  /**
   * A parsed answer: the JSON body and its status on success, the typed error otherwise, and the
   * wait a {@code Retry-After} header asked for (0 without one).
   */
  private record Outcome(JsonNode body, int status, GraphApiError error, long retryAfterMillis) {
    /**
     * Whether Meta surely processed (and so counted) the call: data, or a Graph error that is not a
     * transient one.
     */
    boolean answered() {
      return error == null
          || (error.code() != 0 && ErrorPolicy.classify(error) != ErrorPolicy.Action.RETRY);
    }

    static Outcome failed(GraphApiError error) {
      return new Outcome(null, 0, error, 0);
    }

    Outcome withRetryAfter(long millis) {
      return new Outcome(body, status, error, millis);
    }

    static Outcome of(int status, String text) {
      JsonNode body;
      try {
        body = JSON.readTree(text);
      } catch (IOException e) {
        // A truncated or malformed body is a transport fault: retry it.
        return failed(
            GraphApiError.transport(
                status >= 200 && status < 300 ? 502 : status,
                "malformed response body (" + text.length() + " bytes)"));
      }
      if (body == null || body.isMissingNode()) {
        return failed(GraphApiError.transport(502, "empty response body"));
      }
      if (status >= 200 && status < 300 && !body.has("error")) {
        return new Outcome(body, status, null, 0);
      }
      return failed(GraphApiError.fromBody(status, body));
    }
  }
}
