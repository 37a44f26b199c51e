package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.EdgePages;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.schemas.StreamCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code tagged_media} and {@code collaborative_media} streams: other creators' media in which
 * an account is tagged ({@code /{ig-user-id}/tags}) or that it collaborates on ({@code
 * /{ig-user-id}/collaborative_media}, April 2026), with the public fields Meta serves of them, page
 * by page. The tags edge needs {@code instagram_manage_comments}: a token without it gets a warning
 * and no tagged media, the other streams run.
 */
public final class OthersMedia extends PTransform<PCollection<Account>, PCollection<String>> {
  /** Which edge: its stream and path below the account. */
  public enum Kind {
    TAGGED(StreamCatalog.TAGGED_MEDIA, "tags", true),
    COLLABORATIVE(StreamCatalog.COLLABORATIVE_MEDIA, "collaborative_media", false);

    final String stream;
    final String edge;

    /** The tags edge needs instagram_manage_comments, which the other streams do not. */
    final boolean needsCommentsPermission;

    Kind(String stream, String edge, boolean needsCommentsPermission) {
      this.stream = stream;
      this.edge = edge;
      this.needsCommentsPermission = needsCommentsPermission;
    }
  }

  private final GraphApiConfig config;
  private final Kind kind;

  OthersMedia(GraphApiConfig config, Kind kind) {
    this.config = config;
    this.kind = kind;
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts
        .apply("Read " + kind.edge + " pages", ParDo.of(new ReadEdge(config, kind)))
        .apply("One record per item", Flatten.iterables());
  }

  /**
   * Reads one account's edge; a page's records are one element, as {@link MediaEdge} outputs them.
   */
  static final class ReadEdge extends GraphDoFn<Account, List<String>> {
    private final Kind kind;

    ReadEdge(GraphApiConfig config, Kind kind) {
      super(config);
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element Account account, OutputReceiver<List<String>> out) {
      String id = account.businessAccountId();
      EdgePages pages =
          client.pages(
              GraphRequest.get(id + "/" + kind.edge, id)
                  .with("fields", MetricCatalog.PUBLIC_MEDIA_FIELDS)
                  .with("limit", String.valueOf(GraphFields.PAGE_SIZE)));
      try {
        while (pages.hasNext()) {
          List<String> records = new ArrayList<>();
          for (JsonNode node : pages.next()) {
            ObjectNode item = (ObjectNode) node;
            String itemId = RecordShape.idOf(item);
            if (itemId == null) {
              skippedUnusable(kind.stream, "no-id", "has no usable id", item);
              continue;
            }
            item.put("id", itemId);
            RecordShape.rfc3339(item, "timestamp");
            RecordShape.cleanUrls(item);
            item.put("business_account_id", id);
            item.put("page_id", account.pageId());
            records.add(item.toString());
          }
          out.output(records);
        }
      } catch (GraphApiException e) {
        if (!kind.needsCommentsPermission
            || !skippedForCommentsPermission(kind.stream, account, e)) {
          throw e;
        }
      }
    }
  }
}
