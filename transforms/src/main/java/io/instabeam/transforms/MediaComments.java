package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.EdgePages;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.schemas.StreamCatalog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The {@code media_comments} stream: one record per comment and per reply on an account's media
 * posted since the start date. Comments come expanded in the media page request ({@code
 * comments.limit(n){…,replies.limit(n){…}}}), so an account with few comments costs one call per
 * 100 media; a thread longer than the nested page is read on from {@code /{media-id}/comments} (and
 * a long reply chain from {@code /{comment-id}/replies}) by its cursor.
 *
 * <p>Incremental by {@code timestamp} per account, like {@code user_insights}: only comments newer
 * than the account's watermark are output, and {@link #WATERMARKS} carries the newest timestamp
 * written per account, for the state the job writes once the sink committed. A token without {@code
 * instagram_manage_comments} gets a warning and no comments; the other streams still run.
 */
public final class MediaComments extends PTransform<PCollection<Account>, PCollectionTuple> {
  public static final TupleTag<String> RECORDS = new TupleTag<>() {};

  /**
   * Per business account, the newest comment timestamp output ({@code 2026-01-15T12:00:00+00:00}).
   */
  public static final TupleTag<KV<String, String>> WATERMARKS = new TupleTag<>() {};

  /**
   * Comments and replies per nested page: large enough that most threads come whole with their
   * media.
   */
  public static final int DEFAULT_NESTED_PAGE = 50;

  private final GraphApiConfig config;
  private final Instant mediaSince;
  private final HashMap<String, Instant> watermarks;
  private final int nestedPage;

  MediaComments(GraphApiConfig config, Instant mediaSince) {
    this(config, mediaSince, Map.of(), DEFAULT_NESTED_PAGE);
  }

  private MediaComments(
      GraphApiConfig config, Instant mediaSince, Map<String, Instant> watermarks, int nestedPage) {
    this.config = config;
    this.mediaSince = mediaSince;
    this.watermarks = new HashMap<>(watermarks);
    this.nestedPage = nestedPage;
  }

  /** Outputs only comments newer than each account's watermark (from the state of the last run). */
  public MediaComments withWatermarks(Map<String, Instant> watermarks) {
    return new MediaComments(config, mediaSince, watermarks, nestedPage);
  }

  /**
   * Expands {@code size} comments per media item and replies per comment in the media pages
   * (default {@value #DEFAULT_NESTED_PAGE}): smaller answers, more calls for the threads read on
   * from their own edges.
   */
  public MediaComments withNestedPageSize(int size) {
    if (size < 1 || size > GraphFields.PAGE_SIZE) {
      throw new IllegalArgumentException(
          "a nested page holds 1 to " + GraphFields.PAGE_SIZE + " items");
    }
    return new MediaComments(config, mediaSince, watermarks, size);
  }

  @Override
  public PCollectionTuple expand(PCollection<Account> accounts) {
    PCollectionTuple result =
        accounts.apply(
            "Read comments with their media",
            ParDo.of(new ReadComments(config, mediaSince, watermarks, nestedPage))
                .withOutputTags(RECORDS, TupleTagList.of(WATERMARKS)));
    result.get(WATERMARKS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    return result;
  }

  static final class ReadComments extends GraphDoFn<Account, String> {
    private static final String REPLY_FIELDS = MetricCatalog.COMMENT_FIELDS;

    private final Instant mediaSince;
    private final HashMap<String, Instant> watermarks;
    private final int nestedPage;

    /**
     * A comment with its first replies, as expanded in the media pages and asked of the comments
     * edge.
     */
    private final String threadFields;

    ReadComments(
        GraphApiConfig config,
        Instant mediaSince,
        HashMap<String, Instant> watermarks,
        int nestedPage) {
      super(config);
      this.mediaSince = mediaSince;
      this.watermarks = watermarks;
      this.nestedPage = nestedPage;
      this.threadFields =
          MetricCatalog.COMMENT_FIELDS + ",replies.limit(" + nestedPage + "){" + REPLY_FIELDS + "}";
    }

    @ProcessElement
    public void process(@Element Account account, MultiOutputReceiver out) {
      String id = account.businessAccountId();
      Instant after = watermarks.get(id);
      Instant[] newest = {after};
      Consumer<ObjectNode> emit =
          comment -> {
            Instant at = instant(comment);
            if (at == null) {
              skippedUnusable(
                  StreamCatalog.MEDIA_COMMENTS,
                  "unreadable-timestamp",
                  "has no readable timestamp",
                  comment);
            } else if (after == null || at.isAfter(after)) {
              RecordShape.rfc3339(comment, "timestamp");
              comment.put("business_account_id", id);
              comment.put("page_id", account.pageId());
              out.get(RECORDS).output(comment.toString());
              if (newest[0] == null || at.isAfter(newest[0])) {
                newest[0] = at;
              }
            }
          };
      GraphRequest media =
          GraphRequest.get(id + "/media", id)
              .with(
                  "fields",
                  "id,comments_count,comments.limit(" + nestedPage + "){" + threadFields + "}")
              .with("limit", String.valueOf(GraphFields.PAGE_SIZE))
              .with("since", String.valueOf(mediaSince.getEpochSecond()));
      try {
        EdgePages pages = client.pages(media);
        while (pages.hasNext()) {
          for (JsonNode item : pages.next()) {
            String mediaId = RecordShape.idOf(item);
            if (mediaId != null && item.has("comments")) {
              readThread(mediaId, item.get("comments"), id, emit);
            }
          }
        }
      } catch (GraphApiException e) {
        if (!skippedForCommentsPermission(StreamCatalog.MEDIA_COMMENTS, account, e)) {
          throw e;
        }
        return; // no watermark: the next run, with the permission, reads these comments
      }
      if (newest[0] != null && !newest[0].equals(after)) {
        out.get(WATERMARKS).output(KV.of(id, RecordShape.rfc3339(newest[0])));
      }
    }

    /**
     * A media item's comments: the nested page, then the pages of its comments edge after it;
     * replies likewise.
     */
    private void readThread(
        String mediaId, JsonNode nested, String accountId, Consumer<ObjectNode> emit) {
      GraphRequest edge =
          GraphRequest.get(mediaId + "/comments", accountId)
              .with("fields", threadFields)
              .with("limit", String.valueOf(GraphFields.PAGE_SIZE));
      eachItem(
          nested,
          edge,
          comment -> {
            String commentId = RecordShape.idOf(comment);
            if (commentId == null) {
              skippedUnusable(StreamCatalog.MEDIA_COMMENTS, "no-id", "has no usable id", comment);
              return;
            }
            JsonNode replies = comment.remove("replies");
            comment.put("id", commentId);
            comment.put("media_id", mediaId);
            emit.accept(comment);
            if (replies != null) {
              GraphRequest repliesEdge =
                  GraphRequest.get(commentId + "/replies", accountId)
                      .with("fields", REPLY_FIELDS)
                      .with("limit", String.valueOf(GraphFields.PAGE_SIZE));
              eachItem(
                  replies,
                  repliesEdge,
                  reply -> {
                    String replyId = RecordShape.idOf(reply);
                    if (replyId == null) {
                      skippedUnusable(
                          StreamCatalog.MEDIA_COMMENTS, "no-id", "has no usable id", reply);
                      return;
                    }
                    reply.put("id", replyId);
                    reply.put("media_id", mediaId);
                    reply.put("parent_id", commentId);
                    emit.accept(reply);
                  });
            }
          });
    }

    /**
     * The items of a nested edge page, then, when it names a next page ({@code paging.next}), those
     * of {@code edge} from its cursor on.
     */
    private void eachItem(JsonNode nested, GraphRequest edge, Consumer<ObjectNode> each) {
      for (JsonNode item : nested.path("data")) {
        each.accept((ObjectNode) item);
      }
      GraphRequest next = edge.nextPage(nested);
      if (next == null) {
        return;
      }
      EdgePages pages = client.pages(next);
      while (pages.hasNext()) {
        for (JsonNode item : pages.next()) {
          each.accept((ObjectNode) item);
        }
      }
    }

    private static Instant instant(JsonNode comment) {
      try {
        return OffsetDateTime.parse(RecordShape.rfc3339(comment.path("timestamp").asText("")))
            .toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        return null;
      }
    }
  }
}
