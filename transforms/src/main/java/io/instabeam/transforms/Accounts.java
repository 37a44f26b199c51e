package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.graph.EdgePages;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Account discovery: the Facebook pages the token reaches ({@code me/accounts}, followed page by page) that have an
 * Instagram business account, optionally limited to an allow-list. Pages without one are left out, as in Airbyte.
 */
public final class Accounts extends PTransform<PBegin, PCollection<Account>> {
  public static final String DISCOVERED_COUNTER = "accounts-discovered";
  public static final String PAGES_COUNTER = "pages-discovered";

  private final GraphApiConfig config;
  private final List<String> allowList;

  Accounts(GraphApiConfig config, List<String> allowList) {
    this.config = config;
    this.allowList = List.copyOf(allowList);
  }

  /** Only these Instagram business account ids; an id the token cannot reach fails the run. */
  public Accounts withAllowList(List<String> businessAccountIds) {
    return new Accounts(config, businessAccountIds);
  }

  @Override
  public PCollection<Account> expand(PBegin input) {
    return input
        .apply("Start account discovery", Create.of("me"))
        .apply("List pages and their Instagram accounts", ParDo.of(new DiscoverAccounts(config, allowList)))
        .setCoder(SerializableCoder.of(Account.class))
        .apply("Spread accounts across workers", Reshuffle.viaRandomKey());
  }

  /**
   * Every Facebook page the token reaches ({@code me/accounts}, followed page by page) with {@code fields}, each
   * once: a page listed again on the next page of the answer (Meta's paging shifts when the list changes during
   * the read) is left out.
   */
  public static List<JsonNode> listPages(GraphApiClient client, String fields) {
    Map<String, JsonNode> pages = new LinkedHashMap<>();
    List<JsonNode> withoutId = new ArrayList<>();
    EdgePages edge = client.pages(GraphRequest.get("me/accounts", null)
        .with("fields", fields).with("limit", String.valueOf(GraphFields.PAGE_SIZE)));
    while (edge.hasNext()) {
      for (JsonNode page : edge.next()) {
        String id = RecordShape.idOf(page);
        if (id == null) {
          withoutId.add(page);
        } else {
          pages.putIfAbsent(id, page);
        }
      }
    }
    List<JsonNode> all = new ArrayList<>(pages.values());
    all.addAll(withoutId);
    return all;
  }

  /** The id of the page's Instagram business account, or "" for a page without one. */
  public static String instagramAccountOf(JsonNode page) {
    return page.path("instagram_business_account").path("id").asText("");
  }

  static final class DiscoverAccounts extends GraphDoFn<String, Account> {
    private final List<String> allowList;

    DiscoverAccounts(GraphApiConfig config, List<String> allowList) {
      super(config);
      this.allowList = allowList;
    }

    @ProcessElement
    public void process(OutputReceiver<Account> out) {
      List<Account> accounts = new ArrayList<>();
      List<JsonNode> pages = listPages(client, GraphFields.ACCOUNTS);
      Set<String> seen = new HashSet<>();
      for (JsonNode page : pages) {
        String ig = instagramAccountOf(page);
        // An Instagram account linked to two pages is read once, with the first page (else every record twice).
        if (!ig.isEmpty() && seen.add(ig)) {
          accounts.add(new Account(page.path("id").asText(), ig));
        }
      }
      Metrics.counter(GraphApiClient.METRICS_NAMESPACE, PAGES_COUNTER).inc(pages.size());
      List<Account> selected = select(accounts);
      Metrics.counter(GraphApiClient.METRICS_NAMESPACE, DISCOVERED_COUNTER).inc(selected.size());
      selected.forEach(out::output);
    }

    private List<Account> select(List<Account> accounts) {
      if (allowList.isEmpty()) {
        return accounts;
      }
      Set<String> reachable = new LinkedHashSet<>();
      accounts.forEach(a -> reachable.add(a.businessAccountId()));
      List<String> unknown = allowList.stream().filter(id -> !reachable.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new GraphApiException("--accounts lists " + String.join(", ", unknown) + ", which this token cannot "
            + "reach; the Instagram business accounts it reaches are: "
            + (reachable.isEmpty() ? "none" : String.join(", ", reachable)) + ".",
            GraphApiError.transport(0, "unknown account"));
      }
      return accounts.stream().filter(a -> allowList.contains(a.businessAccountId())).toList();
    }
  }
}
