package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.ErrorPolicy;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import io.instabeam.schemas.StreamCatalog;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code competitors} and {@code competitor_media} streams: public business and creator
 * profiles read by username through Business Discovery ({@code GET
 * /{ig-user-id}?fields=business_discovery.username(X){…}}), asked by one of the token's accounts.
 * One profile record per competitor per run, stamped {@code snapshot_at}, and its media newer than
 * the start date, from the nested {@code media} edge, paged by {@code media.after(cursor)}: the
 * first page comes with the profile, so a competitor costs one call per 100 media. A username that
 * is not a professional account is a counted, logged skip. Business Discovery counts against the
 * app's Platform rate limits, not an account's, so its calls spend the app's budget. Facebook Login
 * only.
 */
public final class Competitors extends PTransform<PCollection<Account>, PCollectionTuple> {
  public static final TupleTag<String> PROFILES = new TupleTag<>() {};
  public static final TupleTag<String> MEDIA = new TupleTag<>() {};

  private final GraphApiConfig config;
  private final List<String> usernames;
  private final Instant snapshotAt;
  private final Instant mediaSince;
  private final boolean withMedia;

  Competitors(GraphApiConfig config, List<String> usernames, Instant snapshotAt) {
    this(config, usernames, snapshotAt, null, true);
  }

  private Competitors(
      GraphApiConfig config,
      List<String> usernames,
      Instant snapshotAt,
      Instant mediaSince,
      boolean withMedia) {
    this.config = config;
    this.usernames = List.copyOf(usernames);
    this.snapshotAt = snapshotAt;
    this.mediaSince = mediaSince;
    this.withMedia = withMedia;
  }

  /** Reads only the media posted at or after {@code since} (the job's {@code --startDate}). */
  public Competitors withMediaSince(Instant since) {
    return new Competitors(config, usernames, snapshotAt, since, withMedia);
  }

  /** Reads the profiles only: no media pages (when {@code competitor_media} is not selected). */
  public Competitors withoutMedia() {
    return new Competitors(config, usernames, snapshotAt, mediaSince, false);
  }

  @Override
  public PCollectionTuple expand(PCollection<Account> accounts) {
    PCollectionTuple read =
        accounts
            .apply(
                "Pick the account that asks",
                Combine.globally(Combine.BinaryCombineFn.of(Competitors::first)).withoutDefaults())
            .apply("One request per competitor", ParDo.of(new PerCompetitor(usernames)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
            .apply("Spread competitors across workers", Reshuffle.viaRandomKey())
            .apply(
                "Read profiles and media through Business Discovery",
                ParDo.of(
                        new ReadCompetitor(
                            config, RecordShape.rfc3339(snapshotAt), mediaSince, withMedia))
                    .withOutputTags(PROFILES, TupleTagList.of(MEDIA)));
    return read;
  }

  /** The account with the smallest id: the same one on every run, so runs are alike. */
  static Account first(Account a, Account b) {
    return a.businessAccountId().compareTo(b.businessAccountId()) <= 0 ? a : b;
  }

  static final class PerCompetitor extends DoFn<Account, KV<String, String>> {
    private final List<String> usernames;

    PerCompetitor(List<String> usernames) {
      this.usernames = usernames;
    }

    @ProcessElement
    public void process(@Element Account asking, OutputReceiver<KV<String, String>> out) {
      usernames.forEach(username -> out.output(KV.of(asking.businessAccountId(), username)));
    }
  }

  /** Reads one competitor: its profile with the first media page, then the media pages after it. */
  static final class ReadCompetitor extends GraphDoFn<KV<String, String>, String> {
    private final String snapshotAt;
    private final Instant mediaSince;
    private final boolean withMedia;

    ReadCompetitor(
        GraphApiConfig config, String snapshotAt, Instant mediaSince, boolean withMedia) {
      super(config);
      this.snapshotAt = snapshotAt;
      this.mediaSince = mediaSince;
      this.withMedia = withMedia;
    }

    @ProcessElement
    public void process(@Element KV<String, String> competitor, MultiOutputReceiver out) {
      String asking = competitor.getKey();
      String username = competitor.getValue();
      GraphResponse answer = client.tryGet(request(asking, username, null));
      if (!answer.isOk()) {
        Optional<String> skip = ErrorPolicy.SkipRule.BUSINESS_DISCOVERY.skipKind(answer.error());
        if (skip.isPresent()) {
          skippedWithWarning(
              StreamCatalog.COMPETITORS,
              skip.get(),
              "Skipping competitor "
                  + username
                  + ": "
                  + "Business Discovery finds no business or creator account of that name (a personal account, or a "
                  + "typo in --competitors): "
                  + answer.error().summary());
          return;
        }
        answer.bodyOrThrow();
      }
      JsonNode discovery = answer.body().path("business_discovery");
      ObjectNode profile = ((ObjectNode) discovery).deepCopy();
      profile.remove("media");
      profile.put("snapshot_at", snapshotAt);
      RecordShape.cleanUrls(profile);
      out.get(PROFILES).output(profile.toString());
      if (!withMedia) {
        return;
      }
      String canonical = discovery.path("username").asText(username); // as Instagram spells it
      JsonNode media = discovery.path("media");
      Set<String> cursors = new HashSet<>();
      while (readPage(media, canonical, out)) {
        String after = media.path("paging").path("cursors").path("after").asText("");
        if (!cursors.add(after)) {
          throw new GraphApiException(
              "Business Discovery returned the same media cursor twice for "
                  + username
                  + " (its paging loops): the read stopped rather than write the same media again; run the job again.",
              GraphApiError.transport(200, "repeated page cursor"));
        }
        media =
            client.get(request(asking, username, after)).path("business_discovery").path("media");
      }
    }

    /**
     * Outputs a page's media; true when the page names a next one and reached no media before the
     * start date.
     */
    private boolean readPage(JsonNode page, String username, MultiOutputReceiver out) {
      for (JsonNode node : page.path("data")) {
        ObjectNode item = (ObjectNode) node.deepCopy();
        Long created = MediaEdge.createdSecond(item);
        if (RecordShape.idOf(item) == null) {
          skippedUnusable(StreamCatalog.COMPETITOR_MEDIA, "no-id", "has no usable id", item);
        } else if (created == null) {
          skippedUnusable(
              StreamCatalog.COMPETITOR_MEDIA,
              "unreadable-timestamp",
              "has no readable timestamp",
              item);
        } else if (mediaSince != null && created < mediaSince.getEpochSecond()) {
          return false; // newest first: the rest is older still
        } else {
          item.put("id", RecordShape.idOf(item));
          item.put("username", username);
          item.put("snapshot_at", snapshotAt);
          RecordShape.rfc3339(item, "timestamp");
          RecordShape.cleanUrls(item);
          out.get(MEDIA).output(item.toString());
        }
      }
      return !page.path("data").isEmpty()
          && !page.path("paging").path("cursors").path("after").asText("").isEmpty();
    }

    /**
     * The Business Discovery request for {@code username}, with the media page after {@code after}
     * (null: the first). The call spends the app's budget (no account id): Business Discovery has
     * Platform rate limits.
     */
    GraphRequest request(String asking, String username, String after) {
      String media =
          !withMedia
              ? ""
              : ",media"
                  + (after == null ? "" : ".after(" + after + ")")
                  + ".limit("
                  + GraphFields.PAGE_SIZE
                  + "){"
                  + MetricCatalog.DISCOVERY_MEDIA_FIELDS
                  + "}";
      return GraphRequest.get(asking, null)
          .with(
              "fields",
              "business_discovery.username("
                  + username
                  + "){"
                  + MetricCatalog.DISCOVERY_FIELDS
                  + media
                  + "}");
    }
  }
}
