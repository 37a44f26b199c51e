package io.instabeam.transforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import java.time.Instant;
import java.util.List;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;

/**
 * Reads Instagram business data from the Graph API, one composite transform per stream, in
 * Airbyte's record shapes (JSON objects, one per element):
 *
 * <pre>{@code
 * PCollection<Account> accounts = p.apply(InstagramIO.accounts(config));
 * PCollection<String> media = accounts.apply(InstagramIO.media(config));
 * PCollection<String> mediaInsights = media.apply(InstagramIO.mediaInsights(config));
 * }</pre>
 *
 * <p>The streams request Airbyte's fields and metrics ({@link MetricSet#AIRBYTE}, Airbyte's records
 * byte for byte) unless given {@code withMetricSet(MetricSet.CURRENT)}: every metric and field Meta
 * serves today, per {@link MetricCatalog}.
 */
public final class InstagramIO {
  private InstagramIO() {}

  /**
   * The accounts the token reaches: pages with an Instagram business account, or Instagram Login's
   * own account.
   */
  public static Accounts accounts(GraphApiConfig config) {
    return new Accounts(config, List.of(), null);
  }

  /**
   * The {@code Api} stream: one record per discovered account, as Airbyte's account-discovery
   * stream.
   */
  public static MapElements<Account, String> api() {
    return MapElements.via(new ApiRecord());
  }

  public static Users users(GraphApiConfig config) {
    return new Users(config);
  }

  public static UserLifetimeInsights userLifetimeInsights(GraphApiConfig config) {
    return new UserLifetimeInsights(config);
  }

  public static UserInsights userInsights(GraphApiConfig config, UserInsightsPlan plan) {
    return new UserInsights(config, plan);
  }

  public static MediaEdge media(GraphApiConfig config) {
    return new MediaEdge(config, MediaEdge.Kind.MEDIA);
  }

  public static MediaEdge stories(GraphApiConfig config) {
    return new MediaEdge(config, MediaEdge.Kind.STORIES);
  }

  /** Insights of the records of {@link #media}. */
  public static ItemInsights mediaInsights(GraphApiConfig config) {
    return new ItemInsights(config, ItemInsights.Kind.MEDIA);
  }

  /** Insights of the records of {@link #stories}. */
  public static ItemInsights storyInsights(GraphApiConfig config) {
    return new ItemInsights(config, ItemInsights.Kind.STORIES);
  }

  /**
   * The {@code media_comments} stream ({@link MediaComments#RECORDS}) and its watermarks per
   * account ({@link MediaComments#WATERMARKS}): comments and replies on media posted since {@code
   * mediaSince}.
   */
  public static MediaComments mediaComments(GraphApiConfig config, Instant mediaSince) {
    return new MediaComments(config, mediaSince);
  }

  /** The {@code tagged_media} stream: other creators' media in which the account is tagged. */
  public static OthersMedia taggedMedia(GraphApiConfig config) {
    return new OthersMedia(config, OthersMedia.Kind.TAGGED);
  }

  /** The {@code collaborative_media} stream: other creators' media the account collaborates on. */
  public static OthersMedia collaborativeMedia(GraphApiConfig config) {
    return new OthersMedia(config, OthersMedia.Kind.COLLABORATIVE);
  }

  /**
   * The {@code competitors} and {@code competitor_media} streams ({@link Competitors#PROFILES},
   * {@link Competitors#MEDIA}): the profiles called {@code usernames} through Business Discovery,
   * one snapshot per run stamped {@code snapshotAt}, asked by one of {@code accounts}.
   */
  public static Competitors competitors(
      GraphApiConfig config, List<String> usernames, Instant snapshotAt) {
    return new Competitors(config, usernames, snapshotAt);
  }

  static final class ApiRecord extends SimpleFunction<Account, String> {
    @Override
    public String apply(Account account) {
      ObjectNode record = GraphDoFn.JSON.createObjectNode();
      // Airbyte's Api stream lists the pages of me/accounts; an account reached by its id has no
      // known page.
      record.put("id", account.pageId() != null ? account.pageId() : account.businessAccountId());
      ObjectNode inner = record.putObject("account");
      inner.put("business_account_id", account.businessAccountId());
      inner.put("page_id", account.pageId());
      return record.toString();
    }
  }
}
