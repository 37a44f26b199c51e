package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphRequest;
import io.instabeam.schemas.StreamCatalog;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The {@code media} and {@code stories} streams: an account's media (or stories) edge, page by page, each item given
 * Airbyte's shape. Carousel children come expanded in the same page request ({@code children{…}}), where Airbyte
 * spends one call per child.
 */
public final class MediaEdge extends PTransform<PCollection<Account>, PCollection<String>> {
  /** Which edge, with the fields requested and the partition object kept in each record. */
  public enum Kind {
    MEDIA(StreamCatalog.MEDIA, "media", GraphFields.MEDIA, "media_insights_info", "media_id"),
    STORIES(StreamCatalog.STORIES, "stories", GraphFields.STORIES, "story_insights_info", "story_id");

    final String stream;
    final String edge;
    final String fields;
    final String infoField;
    final String infoIdField;

    Kind(String stream, String edge, String fields, String infoField, String infoIdField) {
      this.stream = stream;
      this.edge = edge;
      this.fields = fields;
      this.infoField = infoField;
      this.infoIdField = infoIdField;
    }
  }

  private final GraphApiConfig config;
  private final Kind kind;

  MediaEdge(GraphApiConfig config, Kind kind) {
    this.config = config;
    this.kind = kind;
  }

  @Override
  public PCollection<String> expand(PCollection<Account> accounts) {
    return accounts.apply("Fetch " + kind.edge + " pages", ParDo.of(new FetchEdgePages(config, kind)));
  }

  static final class FetchEdgePages extends GraphDoFn<Account, String> {
    private final Kind kind;

    FetchEdgePages(GraphApiConfig config, Kind kind) {
      super(config);
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element Account account, OutputReceiver<String> out) {
      String id = account.businessAccountId();
      GraphRequest first = GraphRequest.get(id + "/" + kind.edge, id)
          .with("fields", kind.fields).with("limit", String.valueOf(GraphFields.PAGE_SIZE));
      for (GraphRequest request = first; request != null; ) {
        JsonNode page = client.get(request);
        for (JsonNode item : page.path("data")) {
          out.output(shape(kind, account, (ObjectNode) item).toString());
        }
        request = first.nextPage(page);
      }
    }
  }

  /** Airbyte's transformations of a media or story item, in Airbyte's order. */
  static ObjectNode shape(Kind kind, Account account, ObjectNode item) {
    ObjectNode info = item.putObject(kind.infoField);
    info.put(kind.infoIdField, item.path("id").asText());
    if (kind == Kind.MEDIA) {
      info.set("media_type", item.get("media_type"));
      info.set("media_product_type", item.get("media_product_type"));
    }
    info.put("business_account_id", account.businessAccountId());
    info.put("page_id", account.pageId());
    item.put("page_id", account.pageId());
    RecordShape.rfc3339(item, "timestamp");
    item.put("business_account_id", account.businessAccountId());
    JsonNode children = item.path("children").path("data");
    if (children.isArray()) {
      ArrayNode list = item.putArray("children");
      for (JsonNode child : children) {
        ObjectNode copy = (ObjectNode) child.deepCopy();
        RecordShape.cleanUrls(copy);
        RecordShape.rfc3339(copy, "timestamp");
        list.add(copy);
      }
    }
    RecordShape.cleanUrls(item);
    return item;
  }
}
