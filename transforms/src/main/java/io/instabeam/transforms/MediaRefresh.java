package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Sorts the items an incremental run read (records of {@link MediaEdge}) by what its {@link MediaRefreshPlan} says:
 * the ones to publish ({@link #PUBLISHED}), the ones whose insights to read ({@link #INSIGHTS_DUE}), and what the
 * state keeps of them once the run committed: each account's items' creation times ({@link #CREATED}, the newest is
 * the account's cursor) and, when insights are incremental, each item's engagement ({@link #ENGAGEMENT},
 * {@code id=likes,comments} per account).
 */
public final class MediaRefresh extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final TupleTag<String> PUBLISHED = new TupleTag<>() {};
  public static final TupleTag<String> INSIGHTS_DUE = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> CREATED = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> ENGAGEMENT = new TupleTag<>() {};

  private final MediaRefreshPlan plan;

  MediaRefresh(MediaRefreshPlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> items) {
    PCollectionTuple sorted = items.apply("Sort items by what changed", ParDo.of(new SortByChange(plan))
        .withOutputTags(PUBLISHED, TupleTagList.of(INSIGHTS_DUE).and(CREATED).and(ENGAGEMENT)));
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    sorted.get(CREATED).setCoder(coder);
    sorted.get(ENGAGEMENT).setCoder(coder);
    return sorted;
  }

  static final class SortByChange extends DoFn<String, String> {
    private final MediaRefreshPlan plan;

    SortByChange(MediaRefreshPlan plan) {
      this.plan = plan;
    }

    @ProcessElement
    public void process(@Element String record, MultiOutputReceiver out) {
      JsonNode item = ItemInsights.parse(record);
      String account = item.path("business_account_id").asText();
      String id = item.path("id").asText();
      String timestamp = item.path("timestamp").asText();
      String engagement = MediaRefreshPlan.engagement(item.path("like_count").asLong(),
          item.path("comments_count").asLong());
      Instant created = OffsetDateTime.parse(timestamp).toInstant(); // MediaEdge only lets readable timestamps through
      MediaRefreshPlan.Decision decision = plan.decide(account, id, created, engagement);
      if (decision.publish()) {
        out.get(PUBLISHED).output(record);
      }
      if (decision.readInsights()) {
        out.get(INSIGHTS_DUE).output(record);
      }
      // A post Meta stamps after the run's time (clocks differ) would put the cursor in the future, which the next
      // run refuses as a bad state: the cursor never passes the run's time.
      out.get(CREATED).output(KV.of(account, created.isAfter(plan.now())
          ? RecordShape.rfc3339(plan.now()) : timestamp));
      if (plan.insightsIncremental()) {
        out.get(ENGAGEMENT).output(KV.of(account, id + "=" + engagement));
      }
    }
  }
}
