package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Sorts the items an incremental run read (records of {@link MediaEdge}) by what its {@link
 * MediaRefreshPlan} says: the ones to publish ({@link #PUBLISHED}), the ones whose insights to read
 * ({@link #INSIGHTS_DUE}), and what the state keeps of them once the run committed: each account's
 * newest item ({@link #NEWEST}, its cursor) and, when insights are incremental, each item's
 * engagement ({@link #ENGAGEMENT}: per account, {@code id=likes,comments} entries joined by {@code
 * ;}). Both are gathered per bundle, so that the state's grouping sees one element per account and
 * bundle rather than one per item (a runner's grouping copies what it holds of a key per bundle).
 */
public final class MediaRefresh extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final TupleTag<String> PUBLISHED = new TupleTag<>() {};
  public static final TupleTag<String> INSIGHTS_DUE = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> NEWEST = new TupleTag<>() {};
  public static final TupleTag<KV<String, String>> ENGAGEMENT = new TupleTag<>() {};

  private final MediaRefreshPlan plan;

  MediaRefresh(MediaRefreshPlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PCollection<String> items) {
    PCollectionTuple sorted =
        items.apply(
            "Sort items by what changed",
            ParDo.of(new SortByChange(plan))
                .withOutputTags(
                    PUBLISHED, TupleTagList.of(INSIGHTS_DUE).and(NEWEST).and(ENGAGEMENT)));
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    sorted.get(NEWEST).setCoder(coder);
    sorted.get(ENGAGEMENT).setCoder(coder);
    return sorted;
  }

  static final class SortByChange extends DoFn<String, String> {
    private final MediaRefreshPlan plan;
    private transient Map<String, Instant> newest;
    private transient Map<String, StringJoiner> engagements;

    SortByChange(MediaRefreshPlan plan) {
      this.plan = plan;
    }

    @StartBundle
    public void startBundle() {
      newest = new TreeMap<>();
      engagements = new TreeMap<>();
    }

    @ProcessElement
    public void process(@Element String record, MultiOutputReceiver out) {
      JsonNode item = ItemInsights.parse(record);
      String account = item.path("business_account_id").asText();
      String id = item.path("id").asText();
      String timestamp = item.path("timestamp").asText();
      String engagement =
          MediaRefreshPlan.engagement(
              item.path("like_count").asLong(), item.path("comments_count").asLong());
      Instant created =
          OffsetDateTime.parse(timestamp)
              .toInstant(); // MediaEdge only lets readable timestamps through
      MediaRefreshPlan.Decision decision = plan.decide(account, id, created, engagement);
      if (decision.publish()) {
        out.get(PUBLISHED).output(record);
      }
      if (decision.readInsights()) {
        out.get(INSIGHTS_DUE).output(record);
      }
      newest.merge(account, created, (a, b) -> a.isAfter(b) ? a : b);
      if (plan.insightsIncremental()) {
        engagements.computeIfAbsent(account, a -> new StringJoiner(";")).add(id + "=" + engagement);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      newest.forEach(
          (account, created) -> {
            // A post Meta stamps after the run's time (clocks differ) would put the cursor in the
            // future, which the next
            // run refuses as a bad state: the cursor never passes the run's time.
            Instant cursor = created.isAfter(plan.now()) ? plan.now() : created;
            context.output(
                NEWEST,
                KV.of(account, RecordShape.rfc3339(cursor)),
                GlobalWindow.INSTANCE.maxTimestamp(),
                GlobalWindow.INSTANCE);
          });
      engagements.forEach(
          (account, items) ->
              context.output(
                  ENGAGEMENT,
                  KV.of(account, items.toString()),
                  GlobalWindow.INSTANCE.maxTimestamp(),
                  GlobalWindow.INSTANCE));
    }
  }
}
