package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.instabeam.graph.ErrorPolicy;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.WorkerShared;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DoFn that calls the Graph API: it carries the serializable {@link GraphApiConfig} and builds
 * its client in {@code @Setup}, and it counts and logs the items a stream's ignore rules skip.
 */
abstract class GraphDoFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(GraphDoFn.class);

  /**
   * Each kind of skip is logged once per run and worker, with the first item's id; counters hold
   * the totals.
   */
  private static final WorkerShared<Set<String>> LOGGED_SKIP_KINDS = new WorkerShared<>();

  final GraphApiConfig config;
  transient GraphApiClient client;

  /** The kinds of skip this run has logged in this worker. */
  private transient Set<String> loggedSkipKinds;

  GraphDoFn(GraphApiConfig config) {
    this.config = config;
  }

  @Setup
  public void setUp() {
    client = new GraphApiClient(config);
    loggedSkipKinds = LOGGED_SKIP_KINDS.get(config.run(), ConcurrentHashMap::newKeySet);
  }

  /**
   * Counts an item a stream's ignore rules skip under {@code skipped-<stream>-<kind>}, and logs the
   * first of each kind.
   */
  void skipped(String stream, String kind, String itemId, GraphApiError error) {
    if (counted(stream, kind)) {
      LOG.info(
          "Skipping {} for item {} ({}): {}. Further items skipped for this reason are only counted.",
          stream,
          itemId,
          kind,
          error.summary());
    }
  }

  /**
   * Counts a skip under {@code skipped-<stream>-<kind>} and warns about each one: for skips the
   * operator asked for by name (a competitor's username) or that leave a whole account out of a
   * stream (a missing permission).
   */
  void skippedWithWarning(String stream, String kind, String warning) {
    counted(stream, kind);
    LOG.warn("{} (run summary: skipped items {}-{}).", warning, stream, kind);
  }

  /**
   * True when {@code e} says the token lacks a permission that only this stream needs (comments and
   * tags need {@code instagram_manage_comments}): the account is then skipped for the stream with a
   * warning that names the permission to grant, and the run goes on. Pages already output for the
   * account stay.
   */
  boolean skippedForCommentsPermission(String stream, Account account, GraphApiException e) {
    Optional<String> skip = ErrorPolicy.SkipRule.OWN_PERMISSION.skipKind(e.error());
    skip.ifPresent(
        kind ->
            skippedWithWarning(
                stream,
                kind,
                "No "
                    + stream
                    + " for account "
                    + account.businessAccountId()
                    + ": the token lacks the permission to read it (grant "
                    + "instagram_manage_comments with Facebook Login, instagram_business_manage_comments with Instagram Login, "
                    + "and create a new token); the other streams are read. Meta answered "
                    + e.error().summary()));
    return skip.isPresent();
  }

  /**
   * Counts an item that cannot be written (no usable id or timestamp) under {@code
   * skipped-<stream>-<kind>}, and warns about the first of each kind: {@code item} is what Meta
   * sent.
   */
  void skippedUnusable(String stream, String kind, String why, JsonNode item) {
    if (counted(stream, kind)) {
      String shown = item.toString();
      LOG.warn(
          "Skipping a {} item that {} ({}): {}. Further such items are only counted (run summary: skipped "
              + "items {}-{}).",
          stream,
          why,
          kind,
          shown.length() > 300 ? shown.substring(0, 300) + "…" : shown,
          stream,
          kind);
    }
  }

  /** Counts one skip of {@code kind}; true for the first of its kind in this run and worker. */
  private boolean counted(String stream, String kind) {
    Metrics.counter(GraphApiClient.METRICS_NAMESPACE, "skipped-" + stream + "-" + kind).inc();
    return loggedSkipKinds.add(stream + "/" + kind);
  }
}
