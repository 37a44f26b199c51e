package io.instabeam.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import io.instabeam.graph.EdgePages;
import io.instabeam.graph.GraphApiClient;
import io.instabeam.graph.GraphApiConfig;
import io.instabeam.graph.GraphApiError;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.GraphRequest;
import io.instabeam.graph.GraphResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Account discovery. With Facebook Login: the Facebook pages the token reaches ({@code
 * me/accounts}, followed page by page) that show an Instagram business account, plus, with {@link
 * #withBusiness}, the accounts a Business portfolio owns ({@code
 * /{business-id}/owned_instagram_accounts}). With Instagram Login: the token's own account ({@code
 * GET /me}), without a page. An allow-list ({@code --accounts}) keeps only its accounts, and
 * reaches one that discovery does not list with one call to it (a portfolio-owned account Meta
 * hides from {@code me/accounts} when the token lacks business_management); an id the token cannot
 * read fails the run.
 */
public final class Accounts extends PTransform<PBegin, PCollection<Account>> {
  public static final String DISCOVERED_COUNTER = "accounts-discovered";
  public static final String PAGES_COUNTER = "pages-discovered";

  /**
   * Pages {@code me/accounts} lists without an Instagram account: the run's summary warns about
   * them.
   */
  public static final String PAGES_WITHOUT_INSTAGRAM_COUNTER = "pages-without-instagram";

  private final GraphApiConfig config;
  private final List<String> allowList;
  private final String businessId;

  Accounts(GraphApiConfig config, List<String> allowList, String businessId) {
    this.config = config;
    this.allowList = List.copyOf(allowList);
    this.businessId = businessId;
  }

  /**
   * Only these Instagram business account ids, each reached even when discovery does not list it;
   * an id the token cannot read fails the run.
   */
  public Accounts withAllowList(List<String> businessAccountIds) {
    return new Accounts(config, businessAccountIds, businessId);
  }

  /**
   * Also the Instagram accounts the Business portfolio {@code id} owns (Facebook Login; null:
   * none).
   */
  public Accounts withBusiness(String id) {
    return new Accounts(config, allowList, id);
  }

  @Override
  public PCollection<Account> expand(PBegin input) {
    return input
        .apply("Start account discovery", Create.of("me"))
        .apply(
            config.login() == Login.INSTAGRAM
                ? "Read the token's own Instagram account"
                : "List pages and their Instagram accounts",
            ParDo.of(new DiscoverAccounts(config, allowList, businessId)))
        .setCoder(SerializableCoder.of(Account.class))
        .apply("Spread accounts across workers", Reshuffle.viaRandomKey());
  }

  /**
   * The operator's warning when {@code pages} pages show no Instagram account: an account a
   * Business portfolio owns looks like that to a token without business_management.
   */
  public static String pagesWithoutInstagramWarning(long pages) {
    return pages
        + " Facebook page(s) the token reaches show no Instagram business account. Meta hides the "
        + "accounts a Business portfolio owns unless the token has business_management: grant it, or name the "
        + "accounts with --accounts=ID,... (or the portfolio with --businessId=ID).";
  }

  /**
   * Every Facebook page the token reaches ({@code me/accounts}, followed page by page) with {@code
   * fields}, each once: a page listed again on the next page of the answer (Meta's paging shifts
   * when the list changes during the read) is left out.
   */
  public static List<JsonNode> listPages(GraphApiClient client, String fields) {
    Map<String, JsonNode> pages = new LinkedHashMap<>();
    List<JsonNode> withoutId = new ArrayList<>();
    EdgePages edge =
        client.pages(
            GraphRequest.get("me/accounts", null)
                .with("fields", fields)
                .with("limit", String.valueOf(GraphFields.PAGE_SIZE)));
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

  /** The ids of the Instagram accounts the Business portfolio {@code businessId} owns. */
  public static List<String> listPortfolio(GraphApiClient client, String businessId) {
    List<String> ids = new ArrayList<>();
    EdgePages edge =
        client.pages(
            GraphRequest.get(businessId + "/owned_instagram_accounts", null)
                .with("fields", "id")
                .with("limit", String.valueOf(GraphFields.PAGE_SIZE)));
    while (edge.hasNext()) {
      for (JsonNode account : edge.next()) {
        String id = RecordShape.idOf(account);
        if (id != null && !ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** The id of the page's Instagram business account, or "" for a page without one. */
  public static String instagramAccountOf(JsonNode page) {
    return page.path("instagram_business_account").path("id").asText("");
  }

  static final class DiscoverAccounts extends GraphDoFn<String, Account> {
    private final List<String> allowList;
    private final String businessId;

    DiscoverAccounts(GraphApiConfig config, List<String> allowList, String businessId) {
      super(config);
      this.allowList = allowList;
      this.businessId = businessId;
    }

    @ProcessElement
    public void process(OutputReceiver<Account> out) {
      Map<String, Account> accounts =
          new LinkedHashMap<>(); // by Instagram account id, in discovery order
      if (config.login() == Login.INSTAGRAM) {
        String own =
            client.get(GraphRequest.get("me", null).with("fields", "id")).path("id").asText();
        accounts.put(own, new Account(null, own));
      } else {
        fromPages(accounts);
        if (businessId != null) {
          fromPortfolio(accounts);
        }
      }
      List<Account> selected = select(accounts);
      Metrics.counter(GraphApiClient.METRICS_NAMESPACE, DISCOVERED_COUNTER).inc(selected.size());
      selected.forEach(out::output);
    }

    private void fromPages(Map<String, Account> accounts) {
      List<JsonNode> pages = listPages(client, GraphFields.ACCOUNTS);
      long withoutInstagram = 0;
      for (JsonNode page : pages) {
        String ig = instagramAccountOf(page);
        withoutInstagram += ig.isEmpty() ? 1 : 0;
        // An Instagram account linked to two pages is read once, with the first page (else every
        // record twice).
        if (!ig.isEmpty()) {
          accounts.putIfAbsent(ig, new Account(page.path("id").asText(), ig));
        }
      }
      Metrics.counter(GraphApiClient.METRICS_NAMESPACE, PAGES_COUNTER).inc(pages.size());
      Metrics.counter(GraphApiClient.METRICS_NAMESPACE, PAGES_WITHOUT_INSTAGRAM_COUNTER)
          .inc(withoutInstagram);
    }

    /**
     * The portfolio's accounts; their page is not known (Meta hides the link), so page_id stays
     * null.
     */
    private void fromPortfolio(Map<String, Account> accounts) {
      listPortfolio(client, businessId)
          .forEach(id -> accounts.putIfAbsent(id, new Account(null, id)));
    }

    /** The allow-list's accounts: those discovery listed, and each other one read with one call. */
    private List<Account> select(Map<String, Account> discovered) {
      if (allowList.isEmpty()) {
        return List.copyOf(discovered.values());
      }
      List<Account> selected = new ArrayList<>();
      for (String id : allowList) {
        Account known = discovered.get(id);
        selected.add(known != null ? known : reach(id, discovered.keySet()));
      }
      return selected;
    }

    private Account reach(String id, Set<String> discovered) {
      GraphResponse answer = client.tryGet(GraphRequest.get(id, id).with("fields", "id"));
      if (!answer.isOk() || !id.equals(RecordShape.idOf(answer.body()))) {
        throw new GraphApiException(
            "--accounts lists "
                + id
                + ", which this token cannot read"
                + (answer.isOk() ? "" : " (" + answer.error().summary() + ")")
                + "; the Instagram business accounts "
                + "discovery lists for it are: "
                + (discovered.isEmpty() ? "none" : String.join(", ", discovered))
                + ". Check the id, or give the token access to the account.",
            answer.isOk() ? GraphApiError.transport(0, "unknown account") : answer.error());
      }
      return new Account(null, id);
    }
  }
}
