package io.instabeam.schemas;

import static io.instabeam.schemas.SyncMode.FULL_REFRESH_APPEND;
import static io.instabeam.schemas.SyncMode.FULL_REFRESH_OVERWRITE;
import static io.instabeam.schemas.SyncMode.INCREMENTAL_APPEND;
import static io.instabeam.schemas.SyncMode.INCREMENTAL_APPEND_DEDUPED;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/** The streams instabeam reads, with Airbyte's names, keys and sync modes. */
public final class StreamCatalog {
  public static final String API = "Api";
  public static final String USERS = "users";
  public static final String USER_LIFETIME_INSIGHTS = "user_lifetime_insights";
  public static final String USER_INSIGHTS = "user_insights";
  public static final String MEDIA = "media";
  public static final String MEDIA_INSIGHTS = "media_insights";
  public static final String STORIES = "stories";
  public static final String STORY_INSIGHTS = "story_insights";
  public static final String MEDIA_COMMENTS = "media_comments";
  public static final String TAGGED_MEDIA = "tagged_media";
  public static final String COMPETITORS = "competitors";
  public static final String COMPETITOR_MEDIA = "competitor_media";
  public static final String COLLABORATIVE_MEDIA = "collaborative_media";

  /** Streams Airbyte's connector does not have: read only when {@code --streams} names them. */
  private static final List<String> OPTIONAL =
      List.of(
          API, MEDIA_COMMENTS, TAGGED_MEDIA, COMPETITORS, COMPETITOR_MEDIA, COLLABORATIVE_MEDIA);

  private static final List<SyncMode> FULL_REFRESH =
      List.of(FULL_REFRESH_OVERWRITE, FULL_REFRESH_APPEND);
  private static final List<SyncMode> ALL_MODES =
      List.of(
          FULL_REFRESH_OVERWRITE,
          FULL_REFRESH_APPEND,
          INCREMENTAL_APPEND,
          INCREMENTAL_APPEND_DEDUPED);

  private static final List<StreamDefinition> STREAMS =
      List.of(
          fullRefresh(API, List.of("id"), null),
          fullRefresh(USERS, List.of("id"), null),
          // Airbyte's key is (business_account_id, breakdown): one metric per breakdown. The
          // current metric set has two.
          fullRefresh(
              USER_LIFETIME_INSIGHTS, List.of("business_account_id", "breakdown", "metric"), null),
          new StreamDefinition(
              USER_INSIGHTS,
              List.of("business_account_id", "date"),
              "date",
              "date",
              ALL_MODES,
              INCREMENTAL_APPEND,
              false),
          // Incremental on request only: full refresh (Airbyte's only mode for them) stays the
          // default.
          optionallyIncremental(MEDIA, "timestamp", "timestamp"),
          optionallyIncremental(MEDIA_INSIGHTS, "insights_read_at", null),
          ephemeral(optionallyIncremental(STORIES, "timestamp", "timestamp")),
          ephemeral(fullRefresh(STORY_INSIGHTS, List.of(), null)),
          new StreamDefinition(
              MEDIA_COMMENTS,
              List.of("id"),
              "timestamp",
              "timestamp",
              ALL_MODES,
              INCREMENTAL_APPEND,
              true),
          // Other creators' posts: an account may be tagged in the same post as another account of
          // the token.
          emptyIsNormal(
              fullRefresh(TAGGED_MEDIA, List.of("business_account_id", "id"), "timestamp")),
          // A snapshot per run: full_refresh_append keeps the history of the counts.
          fullRefresh(COMPETITORS, List.of("username", "snapshot_at"), "snapshot_at"),
          fullRefresh(COMPETITOR_MEDIA, List.of("id", "snapshot_at"), "snapshot_at"),
          emptyIsNormal(
              fullRefresh(COLLABORATIVE_MEDIA, List.of("business_account_id", "id"), "timestamp")));

  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamCatalog() {}

  private static StreamDefinition fullRefresh(
      String name, List<String> primaryKey, String partitionField) {
    return new StreamDefinition(
        name, primaryKey, null, partitionField, FULL_REFRESH, FULL_REFRESH_OVERWRITE, false);
  }

  /** A stream keyed by {@code id} that supports every mode, full refresh by default. */
  private static StreamDefinition optionallyIncremental(
      String name, String cursorField, String partitionField) {
    return new StreamDefinition(
        name, List.of("id"), cursorField, partitionField, ALL_MODES, FULL_REFRESH_OVERWRITE, false);
  }

  /** A stream of things that expire (stories: 24 hours), so a read may find none on any day. */
  private static StreamDefinition ephemeral(StreamDefinition stream) {
    return emptyIsNormal(stream);
  }

  /**
   * A stream that many accounts have nothing in (no one tagged them, no collaborations), so none is
   * no alarm.
   */
  private static StreamDefinition emptyIsNormal(StreamDefinition stream) {
    return new StreamDefinition(
        stream.name(),
        stream.primaryKey(),
        stream.cursorField().orElse(null),
        stream.partitionField().orElse(null),
        stream.syncModes(),
        stream.defaultSyncMode(),
        true);
  }

  /** Every stream, in the order the docs list them. */
  public static List<StreamDefinition> all() {
    return STREAMS;
  }

  /**
   * The streams a run reads when `--streams` is not given: Airbyte's seven, without the optional
   * account-discovery stream Api and the streams Airbyte lacks (comments, tagged media,
   * competitors, collaborative media).
   */
  public static List<StreamDefinition> defaults() {
    return STREAMS.stream().filter(s -> !OPTIONAL.contains(s.name())).collect(Collectors.toList());
  }

  public static List<String> names() {
    return STREAMS.stream().map(StreamDefinition::name).collect(Collectors.toList());
  }

  /** The stream called {@code name}; an unknown name is an error that lists the valid ones. */
  public static StreamDefinition get(String name) {
    return STREAMS.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown stream '" + name + "'; valid streams: " + String.join(", ", names())));
  }

  static ObjectNode loadSchema(String name) {
    String resource = "streams/" + name + ".json";
    try (InputStream in = StreamCatalog.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + resource);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + resource, e);
    }
  }
}
