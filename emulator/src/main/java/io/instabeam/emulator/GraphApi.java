package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Graph API itself, independent of HTTP: routes a {@link GraphRequest} to its endpoint, checks
 * the token, charges the rate budgets, checks permissions and renders the answer or Meta's error
 * body.
 *
 * <p>Order of checks for one call: token (190) → budgets (app code 4/17/32/613, account 80002;
 * every authenticated call is charged, refused ones included) → permissions (10 / 200) → the
 * endpoint's own validation. Batch sub-requests and each id of {@code ?ids=} go through the same
 * steps one by one.
 */
final class GraphApi {
  static final int MAX_BATCH = 50;
  static final int MAX_IDS = 50;

  /** The media edge returns at most the 10K most recently created media. */
  static final int MEDIA_EDGE_CAP = 10_000;

  private static final String BATCH_CONTENT_TYPE = "text/javascript; charset=UTF-8";

  /**
   * The edges whose answers list their items in {@code data}, which a malformed page leaves out.
   */
  private static final Set<String> LISTING_KINDS =
      Set.of(
          EndpointKind.ME_ACCOUNTS,
          EndpointKind.USER_MEDIA,
          EndpointKind.USER_STORIES,
          EndpointKind.USER_INSIGHTS,
          EndpointKind.MEDIA_INSIGHTS,
          EndpointKind.USER_TAGS,
          EndpointKind.USER_COLLABORATIVE_MEDIA,
          EndpointKind.MEDIA_COMMENTS,
          EndpointKind.COMMENT_REPLIES);

  private final Dataset data;
  private final EmulatorClock clock;
  private final AccessGrant grant;
  private final RateLimits limits;
  private final Faults faults;
  private final FaultPlan faultPlan;
  private final StatsRecorder stats;
  private final Supplier<String> baseUrl;
  private final NodeRenderer renderer;
  private final MediaInsights mediaInsights;
  private final AccountInsights accountInsights;
  private final LoginHost host;

  /**
   * The pages of portfolio-owned accounts are left out of {@code me/accounts} (no role on them).
   */
  private final boolean portfolioPagesUnmanaged;

  /**
   * The API of one host ({@code host}), whose token is {@code grant}; {@code baseUrl} is the host's
   * root.
   */
  GraphApi(
      LoginHost host,
      Dataset data,
      EmulatorClock clock,
      AccessGrant grant,
      RateLimits limits,
      Faults faults,
      FaultPlan faultPlan,
      StatsRecorder stats,
      Supplier<String> baseUrl,
      MetricChurn churn,
      boolean strictThirtyDays,
      boolean portfolioPagesUnmanaged) {
    this.host = host;
    this.portfolioPagesUnmanaged = portfolioPagesUnmanaged;
    this.data = data;
    this.clock = clock;
    this.grant = grant;
    this.limits = limits;
    this.faults = faults;
    this.faultPlan = faultPlan;
    this.stats = stats;
    this.baseUrl = baseUrl;
    this.mediaInsights = new MediaInsights(data, churn, host);
    this.accountInsights = new AccountInsights(data, churn, strictThirtyDays);
    this.renderer = new NodeRenderer(data, mediaInsights, baseUrl, host);
  }

  /**
   * A route: the endpoint kind, the IG account charged, the permissions needed and the work to do.
   */
  private record Route(
      String kind, String accountId, List<String> permissions, Supplier<JsonNode> action) {}

  /** Serves one HTTP-level request: a batch, an {@code ?ids=} request or a single call. */
  Answer serve(GraphRequest req) {
    if ("/".equals(req.path) && "POST".equals(req.method) && req.params.containsKey("batch")) {
      return batch(req);
    }
    if ("/".equals(req.path) && "GET".equals(req.method) && req.params.containsKey("ids")) {
      return ids(req);
    }
    return call(req);
  }

  /** The endpoint kind of a request, without serving it (used to label faults). */
  String kindOf(GraphRequest req) {
    if ("/".equals(req.path) && "POST".equals(req.method) && req.params.containsKey("batch")) {
      return EndpointKind.BATCH;
    }
    if ("/".equals(req.path) && req.params.containsKey("ids")) {
      return EndpointKind.IDS;
    }
    return route(req, clock.now()).kind();
  }

  String accountOf(GraphRequest req) {
    return "/".equals(req.path) ? null : route(req, clock.now()).accountId();
  }

  Answer call(GraphRequest req) {
    Instant now = clock.now();
    Route route = route(req, now);
    stats.call(route.kind(), route.accountId());
    Set<String> accounts = route.accountId() == null ? Set.of() : Set.of(route.accountId());
    try {
      grant.check(req.token, now);
      charge(accounts, now);
      checkPermissions(route.permissions());
      JsonNode body = route.action().get();
      if (LISTING_KINDS.contains(route.kind())
          && faultPlan.hits("malformed page", req.key(), faults.malformedPageRate())) {
        body = malformed(body, req.key());
      }
      return new Answer(200, body, route.kind(), accounts, null, List.of());
    } catch (GraphError e) {
      return error(e, req, route.kind(), accounts);
    }
  }

  private Answer error(GraphError e, GraphRequest req, String kind, Set<String> accounts) {
    return new Answer(
        e.httpStatus, errorBody(e, trace(req, e.code)), kind, accounts, e.code, List.of());
  }

  static ObjectNode errorBody(GraphError e, String fbtraceId) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", e.message());
    err.put("type", e.type);
    err.put("code", e.code);
    if (e.blameFieldSpecs) {
      err.putObject("error_data").putArray("blame_field_specs").addArray().add("");
    }
    if (e.subcode != null) {
      err.put("error_subcode", e.subcode);
    }
    err.put("is_transient", e.transientError);
    if (e.userTitle != null) {
      err.put("error_user_title", e.userTitle);
    }
    if (e.userMessage != null) {
      err.put("error_user_msg", e.userMessage);
    }
    err.put("fbtrace_id", fbtraceId);
    return root;
  }

  /** Deterministic stand-in for Meta's fbtrace_id: same request and error → same id. */
  String trace(GraphRequest req, int code) {
    long h1 = StableHash.of(data.seed(), "fbtrace", req.key(), code);
    long h2 = StableHash.mix(h1);
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (h1 >>> (8 * i));
      bytes[8 + i] = (byte) (h2 >>> (8 * i));
    }
    return "A" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, 22);
  }

  private void charge(Set<String> accounts, Instant now) {
    boolean appAllowed = limits.app().charge(now);
    List<String> blocked = new ArrayList<>();
    for (String account : accounts) {
      if (!limits.account(account).charge(now)) {
        blocked.add(account);
      }
    }
    if (!appAllowed && faults.appBudgetEnforced()) {
      stats.appRateLimited();
      throw GraphError.appBudgetExceeded(faults.appRateLimitCode());
    }
    if (!blocked.isEmpty()) {
      blocked.forEach(stats::accountRateLimited);
      throw GraphError.accountBudgetExceeded();
    }
  }

  /**
   * Meta answers missing Instagram permissions with code 10 "(#10) Application does not have
   * permission for this action" (recorded in Airbyte's fixtures for both the media edge and
   * insights), and missing Page permissions (and business_management) with the 200-family "Requires
   * … permission" error. On the Instagram-Login host the Instagram permissions have their own names
   * ({@link LoginHost#permission}).
   */
  private void checkPermissions(List<String> permissions) {
    for (String permission : permissions) {
      if (!grant.has(host.permission(permission))) {
        throw permission.startsWith("pages_") || permission.equals(AccessGrant.BUSINESS_MANAGEMENT)
            ? GraphError.missingPagePermission(permission)
            : GraphError.noPermission();
      }
    }
  }

  // ---------------------------------------------------------------- routing

  private static final List<String> IG_READ = List.of("instagram_basic");

  /**
   * Comments, and the media the account is tagged in, need {@code instagram_manage_comments} too.
   */
  private static final List<String> IG_COMMENTS =
      List.of("instagram_basic", "instagram_manage_comments");

  private static final Pattern COMMENTS_FIELD =
      Pattern.compile("(?<![A-Za-z_])comments(?![A-Za-z_])");
  private static final List<String> IG_INSIGHTS =
      List.of("instagram_basic", "instagram_manage_insights");
  private static final List<String> PAGES = List.of("pages_show_list");
  private static final List<String> PAGE_NODE = List.of("pages_show_list", "pages_read_engagement");
  private static final List<String> BUSINESS = List.of(AccessGrant.BUSINESS_MANAGEMENT);

  /** The Business edges that list IG users; both serve the portfolio's own accounts here. */
  private static final Set<String> BUSINESS_EDGES =
      Set.of("owned_instagram_accounts", "instagram_business_accounts");

  private Route route(GraphRequest req, Instant now) {
    String[] parts = req.path.substring(1).split("/", -1);
    // On the Instagram-Login host, "me" is the token's own IG account (GET /me, /me/media, ...).
    String head =
        host == LoginHost.INSTAGRAM_LOGIN && "me".equals(parts[0]) ? grant.userId : parts[0];
    String edge = parts.length > 1 ? parts[1] : null;
    if (parts.length > 2) {
      return failing(EndpointKind.UNKNOWN, null, GraphError.unknownPath(parts[2]));
    }
    if (head.isEmpty()) {
      return failing(
          EndpointKind.UNKNOWN, null, GraphError.invalidParameter("The parameter ids is required"));
    }
    if (!"GET".equals(req.method)) {
      return failing(
          EndpointKind.UNKNOWN,
          null,
          GraphError.of(
              400,
              "Unsupported "
                  + req.method.toLowerCase()
                  + " request. Object with ID '"
                  + head
                  + "' does not exist, cannot be loaded due to missing permissions, "
                  + "or does not support this operation. Please read the Graph API documentation at "
                  + "https://developers.facebook.com/docs/graph-api",
              "GraphMethodException",
              100,
              33,
              false));
    }
    if (host == LoginHost.INSTAGRAM_LOGIN) {
      if ("refresh_access_token".equals(head) && edge == null) {
        return new Route(EndpointKind.REFRESH_TOKEN, null, IG_READ, () -> refreshToken(req, now));
      }
      // The Instagram-Login host knows the token's own account only: no pages, portfolios,
      // debug_token or others.
      if (!head.equals(grant.userId)
          && (data.user(head).isPresent()
              || data.page(head).isPresent()
              || data.portfolio().filter(b -> b.id().equals(head)).isPresent()
              || "debug_token".equals(head))) {
        return failing(EndpointKind.UNKNOWN, null, GraphError.unsupportedGet(head));
      }
    } else if ("debug_token".equals(head) && edge == null) {
      return new Route(EndpointKind.DEBUG_TOKEN, null, List.of(), () -> debugToken(req));
    }
    if ("me".equals(head)) {
      if ("accounts".equals(edge)) {
        return new Route(EndpointKind.ME_ACCOUNTS, null, PAGES, () -> meAccounts(req, now));
      }
      if ("permissions".equals(edge)) {
        return new Route(EndpointKind.ME_PERMISSIONS, null, List.of(), this::mePermissions);
      }
      if (edge == null) {
        return new Route("me", null, List.of(), this::me);
      }
      return failing(EndpointKind.UNKNOWN, null, GraphError.unknownPath(edge));
    }
    BusinessPortfolio business = data.portfolio().filter(b -> b.id().equals(head)).orElse(null);
    if (business != null) {
      if (edge != null && BUSINESS_EDGES.contains(edge)) {
        return new Route(
            EndpointKind.BUSINESS_ACCOUNTS,
            null,
            BUSINESS,
            () -> businessAccounts(business, req, now));
      }
      return failing(
          EndpointKind.UNKNOWN,
          null,
          edge == null
              ? GraphError.unsupportedGet(head)
              : GraphError.nonexistingField(edge, "Business"));
    }
    IgUser user = data.user(head).orElse(null);
    if (user != null) {
      if (edge == null && String.valueOf(req.param("fields")).contains("business_discovery")) {
        if (host.refusedFields.contains("business_discovery")) {
          return failing(
              EndpointKind.BUSINESS_DISCOVERY,
              null,
              GraphError.nonexistingField("business_discovery", "IGUser"),
              IG_READ);
        }
        // Business Discovery counts against the app's Platform limits, not the account's (BUC)
        // budget.
        return new Route(
            EndpointKind.BUSINESS_DISCOVERY,
            null,
            IG_READ,
            () -> businessDiscovery(user, req, now));
      }
      if (edge == null) {
        return new Route(
            EndpointKind.USER,
            user.id(),
            IG_READ,
            () -> renderer.user(user, FieldSpec.parseList(req.param("fields")), now));
      }
      switch (edge) {
        case "tags":
          return new Route(
              EndpointKind.USER_TAGS,
              user.id(),
              IG_COMMENTS,
              () -> othersMedia(data.tagged(user.id()), req, now));
        case "collaborative_media":
          return new Route(
              EndpointKind.USER_COLLABORATIVE_MEDIA,
              user.id(),
              IG_READ,
              () -> othersMedia(data.collaborations(user.id()), req, now));
        case "media":
          return new Route(
              EndpointKind.USER_MEDIA,
              user.id(),
              edgePermissions(req),
              () -> mediaEdge(user, req, now));
        case "stories":
          return new Route(
              EndpointKind.USER_STORIES,
              user.id(),
              edgePermissions(req),
              () -> storiesEdge(user, req, now));
        case "insights":
          return new Route(
              EndpointKind.USER_INSIGHTS,
              user.id(),
              IG_INSIGHTS,
              () -> accountInsights.render(user, req, now, baseUrl.get()));
        default:
          return failing(
              EndpointKind.UNKNOWN, user.id(), GraphError.nonexistingField(edge, "IGUser"));
      }
    }
    MediaItem item =
        data.mediaItem(head)
            .filter(m -> visible(m, now))
            .filter(this::reachable)
            .map(m -> data.asOf(m, now))
            .orElse(null);
    if (item != null) {
      if (edge == null) {
        return new Route(
            EndpointKind.MEDIA,
            item.ownerId(),
            fieldsPermissions(req.param("fields")),
            () -> renderer.media(item, FieldSpec.parseList(req.param("fields")), now));
      }
      if ("insights".equals(edge)) {
        return new Route(
            EndpointKind.MEDIA_INSIGHTS,
            item.ownerId(),
            IG_INSIGHTS,
            () -> mediaInsights.render(item, MediaInsights.metricList(req.param("metric")), now));
      }
      if ("comments".equals(edge) && !item.isStory()) {
        return new Route(
            EndpointKind.MEDIA_COMMENTS,
            item.ownerId(),
            IG_COMMENTS,
            () -> comments(data.comments(item), req, now));
      }
      return failing(
          EndpointKind.UNKNOWN, item.ownerId(), GraphError.nonexistingField(edge, "IGMedia"));
    }
    Comment comment = data.comment(head).filter(c -> !c.timestamp().isAfter(now)).orElse(null);
    if (comment != null) {
      String owner = data.mediaItem(comment.mediaId()).map(MediaItem::ownerId).orElse(null);
      if (edge == null) {
        return new Route(
            EndpointKind.COMMENT,
            owner,
            IG_COMMENTS,
            () -> renderer.comment(comment, FieldSpec.parseList(req.param("fields")), now));
      }
      if ("replies".equals(edge) && !comment.isReply()) {
        return new Route(
            EndpointKind.COMMENT_REPLIES,
            owner,
            IG_COMMENTS,
            () -> comments(data.replies(comment), req, now));
      }
      return failing(EndpointKind.UNKNOWN, owner, GraphError.nonexistingField(edge, "IGComment"));
    }
    CarouselChild child =
        data.child(head)
            .filter(
                c ->
                    data.mediaItem(c.parentId())
                        .map(p -> visible(p, now) && reachable(p))
                        .orElse(false))
            .orElse(null);
    if (child != null) {
      if (edge == null) {
        return new Route(
            EndpointKind.MEDIA,
            child.ownerId(),
            IG_READ,
            () -> renderer.child(child, FieldSpec.parseList(req.param("fields")), now));
      }
      if ("insights".equals(edge)) {
        return failing(
            EndpointKind.MEDIA_INSIGHTS,
            child.ownerId(),
            MediaInsights.childHasNoInsights(),
            IG_INSIGHTS);
      }
      return failing(
          EndpointKind.UNKNOWN, child.ownerId(), GraphError.nonexistingField(edge, "IGMedia"));
    }
    FacebookPage page = data.page(head).orElse(null);
    if (page != null && edge == null) {
      return new Route(
          EndpointKind.PAGE,
          null,
          PAGE_NODE,
          () ->
              renderer.page(page, FieldSpec.parseList(req.param("fields")), now, seesPortfolio()));
    }
    String kind =
        edge == null
            ? EndpointKind.MEDIA
            : "insights".equals(edge)
                ? EndpointKind.MEDIA_INSIGHTS
                : "media".equals(edge)
                    ? EndpointKind.USER_MEDIA
                    : "stories".equals(edge) ? EndpointKind.USER_STORIES : EndpointKind.UNKNOWN;
    return failing(kind, null, GraphError.unsupportedGet(head));
  }

  /** An Instagram-Login token reaches its own account's media only. */
  private boolean reachable(MediaItem m) {
    return host == LoginHost.FACEBOOK_LOGIN || m.ownerId().equals(grant.userId);
  }

  private boolean seesPortfolio() {
    return grant.has(AccessGrant.BUSINESS_MANAGEMENT);
  }

  private static Route failing(String kind, String accountId, GraphError error) {
    return failing(kind, accountId, error, List.of());
  }

  private static Route failing(
      String kind, String accountId, GraphError error, List<String> permissions) {
    return new Route(
        kind,
        accountId,
        permissions,
        () -> {
          throw error;
        });
  }

  /** Stories exist for 24 h; media "exist" once the clock has reached their timestamp. */
  private static boolean visible(MediaItem m, Instant now) {
    if (m.timestamp().isAfter(now)) {
      return false;
    }
    return !m.isStory() || m.timestamp().isAfter(now.minus(Duration.ofHours(24)));
  }

  private static List<String> edgePermissions(GraphRequest req) {
    return fieldsPermissions(req.param("fields"));
  }

  /**
   * Expanding {@code insights} inside {@code fields} needs the insights permission too, {@code
   * comments} its own.
   */
  private static List<String> fieldsPermissions(String fields) {
    List<String> needed =
        new ArrayList<>(fields != null && fields.contains("insights") ? IG_INSIGHTS : IG_READ);
    if (fields != null && COMMENTS_FIELD.matcher(fields).find()) {
      needed.add("instagram_manage_comments");
    }
    return needed;
  }

  // ---------------------------------------------------------------- endpoints

  private JsonNode meAccounts(GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    NodeRenderer.checkFields(fields, NodeRenderer.PAGE_FIELDS, "Page");
    boolean portfolio = seesPortfolio();
    List<FacebookPage> pages =
        data.pages().stream()
            .filter(
                p ->
                    !portfolioPagesUnmanaged
                        || !p.hasInstagram()
                        || !data.ownedByPortfolio(p.instagramBusinessAccountId()))
            .toList();
    return Pager.page(
        pages,
        FacebookPage::id,
        p -> renderer.page(p, fields, now, portfolio),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  /**
   * {@code /{business-id}/owned_instagram_accounts}: the IG users the portfolio owns, paged like
   * any edge.
   */
  private JsonNode businessAccounts(BusinessPortfolio business, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    NodeRenderer.checkFields(fields, NodeRenderer.USER_FIELDS, "IGUser");
    List<IgUser> owned =
        business.instagramAccountIds().stream().map(id -> data.user(id).orElseThrow()).toList();
    return Pager.page(
        owned,
        IgUser::id,
        u -> renderer.user(u, fields, now),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  /**
   * {@code GET /refresh_access_token?grant_type=ig_refresh_token}: a new long-lived token, valid 60
   * days, in Meta's shape {@code {"access_token","token_type":"bearer","expires_in"}}.
   */
  private JsonNode refreshToken(GraphRequest req, Instant now) {
    if (!"ig_refresh_token".equals(req.param("grant_type"))) {
      throw GraphError.invalidParameter("grant_type must be ig_refresh_token");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("access_token", grant.refresh(now, data.seed()));
    body.put("token_type", "bearer");
    body.put("expires_in", Duration.between(now, grant.expiresAt()).getSeconds());
    return body;
  }

  private JsonNode mediaEdge(IgUser user, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    renderer.checkMediaFields(fields);
    List<MediaItem> visible = new ArrayList<>();
    for (MediaItem m : data.media(user.id(), now)) {
      if (!m.timestamp().isAfter(now) && visible.size() < MEDIA_EDGE_CAP) {
        visible.add(data.asOf(m, now));
      }
    }
    return Pager.page(
        timeFiltered(visible, req),
        MediaItem::id,
        oddly(data.media(user.id()), fields, now),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  private JsonNode storiesEdge(IgUser user, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    renderer.checkMediaFields(fields);
    List<MediaItem> live = new ArrayList<>();
    for (MediaItem s : data.stories(user.id())) {
      if (visible(s, now)) {
        live.add(s);
      }
    }
    return Pager.page(
        timeFiltered(live, req),
        MediaItem::id,
        oddly(data.stories(user.id()), fields, now),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  /**
   * The tags or collaborative_media edge: other creators' media, public fields only, newest first.
   */
  private JsonNode othersMedia(List<MediaItem> items, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    NodeRenderer.checkFields(fields, NodeRenderer.PUBLIC_MEDIA_FIELDS, "IGMedia");
    List<MediaItem> visible = items.stream().filter(m -> !m.timestamp().isAfter(now)).toList();
    return Pager.page(
        visible,
        MediaItem::id,
        m -> renderer.media(m, fields, now),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  /** A comments or replies edge, oldest first. */
  private JsonNode comments(List<Comment> comments, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    NodeRenderer.checkFields(fields, NodeRenderer.COMMENT_FIELDS, "IGComment");
    return Pager.page(
        NodeRenderer.visibleComments(comments, now),
        Comment::id,
        c -> renderer.comment(c, fields, now),
        req,
        25,
        baseUrl.get(),
        faults,
        stats);
  }

  /**
   * {@code GET /{ig-user-id}?fields=business_discovery.username(X){…}}, besides any of the caller's
   * own fields.
   */
  private JsonNode businessDiscovery(IgUser caller, GraphRequest req, Instant now) {
    List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
    List<FieldSpec> own =
        fields.stream().filter(f -> !f.name().equals("business_discovery")).toList();
    ObjectNode node = renderer.user(caller, own, now);
    for (FieldSpec f : fields) {
      if (f.name().equals("business_discovery")) {
        node.set("business_discovery", renderer.businessDiscovery(f, now));
      }
    }
    node.put("id", caller.id());
    return node;
  }

  /**
   * Renders the items of an edge; with {@link Faults#oddItems()}, the second of the account's items
   * comes with a null id, the third with its id as a JSON number and the fourth with an unparseable
   * timestamp.
   */
  private Function<MediaItem, JsonNode> oddly(
      List<MediaItem> all, List<FieldSpec> fields, Instant now) {
    List<String> odd =
        faults.oddItems() ? all.stream().skip(1).limit(3).map(MediaItem::id).toList() : List.of();
    return m -> {
      ObjectNode node = renderer.media(m, fields, now);
      int oddity = odd.indexOf(m.id());
      if (oddity == 0 && node.has("id")) {
        stats.fault("odd_item_null_id");
        node.putNull("id");
      } else if (oddity == 1 && node.has("id")) {
        stats.fault("odd_item_numeric_id");
        node.put("id", new java.math.BigInteger(m.id()));
      } else if (oddity == 2 && node.has("timestamp")) {
        stats.fault("odd_item_bad_timestamp");
        node.put("timestamp", "last Tuesday");
      }
      return node;
    };
  }

  /**
   * A malformed page ({@link Faults#malformedPageRate()}): status 200 without the {@code data}
   * list, either no {@code data} at all or {@code data} as an object, as a proxy or a half-deployed
   * API change may answer.
   */
  private JsonNode malformed(JsonNode body, String key) {
    ObjectNode copy = ((ObjectNode) body).deepCopy();
    JsonNode data = copy.remove("data");
    if (faultPlan.variant("malformed page", key)) {
      stats.fault("page_without_data");
    } else {
      stats.fault("page_data_not_a_list");
      ObjectNode byIndex = copy.putObject("data");
      for (int i = 0; data != null && i < data.size(); i++) {
        byIndex.set(Integer.toString(i), data.get(i));
      }
    }
    return copy;
  }

  /** Time-based filtering of an edge: {@code since} inclusive, {@code until} exclusive. */
  private static List<MediaItem> timeFiltered(List<MediaItem> items, GraphRequest req) {
    Instant since =
        req.param("since") == null ? null : GraphTime.parse("since", req.param("since"));
    Instant until =
        req.param("until") == null ? null : GraphTime.parse("until", req.param("until"));
    if (since == null && until == null) {
      return items;
    }
    List<MediaItem> kept = new ArrayList<>();
    for (MediaItem m : items) {
      if ((since == null || !m.timestamp().isBefore(since))
          && (until == null || m.timestamp().isBefore(until))) {
        kept.add(m);
      }
    }
    return kept;
  }

  private JsonNode me() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", "Emulated Business Admin");
    node.put("id", grant.userId);
    return node;
  }

  private JsonNode mePermissions() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode rows = body.putArray("data");
    for (String permission : AccessGrant.ALL_PERMISSIONS) {
      ObjectNode row = rows.addObject();
      row.put("permission", permission);
      row.put("status", grant.has(permission) ? "granted" : "declined");
    }
    if (seesPortfolio()) {
      rows.addObject().put("permission", AccessGrant.BUSINESS_MANAGEMENT).put("status", "granted");
    }
    return body;
  }

  private JsonNode debugToken(GraphRequest req) {
    String input = req.param("input_token");
    if (input == null) {
      throw GraphError.invalidParameter("The parameter input_token is required");
    }
    Instant now = clock.now();
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode d = body.putObject("data");
    d.put("app_id", grant.appId);
    d.put("type", "USER");
    d.put("application", "instabeam-emulator");
    d.put("data_access_expires_at", grant.dataAccessExpiresAt.getEpochSecond());
    d.put("expires_at", grant.expiresAt().getEpochSecond());
    boolean valid = input.equals(grant.token()) && now.isBefore(grant.expiresAt());
    d.put("is_valid", valid);
    if (!valid) {
      ObjectNode err = d.putObject("error");
      err.put("code", 190);
      err.put(
          "message",
          input.equals(grant.token()) ? "Session has expired" : "Invalid OAuth access token.");
    }
    ArrayNode scopes = d.putArray("scopes");
    if (input.equals(grant.token())) {
      AccessGrant.ALL_PERMISSIONS.stream().filter(grant::has).forEach(scopes::add);
    }
    d.put("user_id", grant.userId);
    return body;
  }

  // ---------------------------------------------------------------- ids and batch

  private Answer ids(GraphRequest req) {
    Instant now = clock.now();
    List<String> ids = new ArrayList<>();
    for (String id : req.params.get("ids").split(",")) {
      if (!id.isBlank() && !ids.contains(id.trim())) {
        ids.add(id.trim());
      }
    }
    Map<String, String> accountOfId = new LinkedHashMap<>();
    Set<String> accounts = new LinkedHashSet<>();
    for (String id : ids) {
      String account = accountOfNode(id, now);
      accountOfId.put(id, account);
      stats.call(EndpointKind.IDS, account);
      if (account != null) {
        accounts.add(account);
      }
    }
    try {
      grant.check(req.token, now);
      if (ids.isEmpty()) {
        throw GraphError.invalidParameter("The parameter ids is required");
      }
      if (ids.size() > MAX_IDS) {
        throw GraphError.invalidParameter("Too many IDs. Maximum: " + MAX_IDS);
      }
      for (String id : ids) {
        Set<String> one = accountOfId.get(id) == null ? Set.of() : Set.of(accountOfId.get(id));
        charge(one, now); // each id is billed as one call
      }
      List<String> missing = ids.stream().filter(id -> !exists(id, now)).toList();
      if (!missing.isEmpty()) {
        throw GraphError.of(
            400,
            "(#803) Some of the aliases you requested do not exist: " + String.join(",", missing),
            "OAuthException",
            803,
            null,
            false);
      }
      List<FieldSpec> fields = FieldSpec.parseList(req.param("fields"));
      ObjectNode body = Json.MAPPER.createObjectNode();
      for (String id : ids) {
        Route r =
            route(new GraphRequest("GET", req.version, "/" + id, req.params, req.token, true), now);
        checkPermissions(r.permissions());
        body.set(id, r.action().get());
      }
      return new Answer(200, body, EndpointKind.IDS, accounts, null, List.of());
    } catch (GraphError e) {
      return error(e, req, EndpointKind.IDS, accounts);
    }
  }

  private boolean exists(String id, Instant now) {
    return data.user(id).isPresent()
        || data.page(id).isPresent()
        || data.mediaItem(id).filter(m -> visible(m, now)).isPresent()
        || data.child(id).isPresent();
  }

  private String accountOfNode(String id, Instant now) {
    if (data.user(id).isPresent()) {
      return id;
    }
    return data.mediaItem(id)
        .map(MediaItem::ownerId)
        .or(() -> data.child(id).map(CarouselChild::ownerId))
        .orElse(null);
  }

  private Answer batch(GraphRequest req) {
    Instant now = clock.now();
    List<RecordedRequest> subRecords = new ArrayList<>();
    Set<String> accounts = new LinkedHashSet<>();
    JsonNode requests;
    try {
      grant.check(req.token, now);
      requests = req.batchParameter();
      if (requests == null || !requests.isArray() || requests.isEmpty()) {
        throw GraphError.invalidParameter(
            "The parameter batch must be a non-empty JSON array of requests");
      }
      if (requests.size() > MAX_BATCH) {
        throw GraphError.invalidParameter(
            "Too many requests in batch message: the batch limit is " + MAX_BATCH + " requests");
      }
    } catch (GraphError e) {
      return error(e, req, EndpointKind.BATCH, accounts);
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<String> subPaths = new ArrayList<>();
    for (JsonNode sub : requests) {
      GraphRequest subReq = GraphRequest.batchItem(sub, req.token);
      String method = subReq.method;
      subPaths.add(subReq.path);
      // Meta answers each sub-request on its own: one can fail transiently, or not complete in time
      // (null).
      FaultPlan.Fault fault = faultPlan.next(FaultPlan.batchItemKey(subReq));
      if (fault == FaultPlan.Fault.HTTP_503) {
        stats.fault("batch_item_not_completed");
        out.addNull();
        subRecords.add(
            new RecordedRequest(
                method,
                subReq.path,
                subReq.params,
                kindOf(subReq),
                accountOf(subReq),
                0,
                null,
                true));
        continue;
      }
      GraphError injected = GraphError.injected(fault);
      if (injected != null) {
        stats.fault("batch_item_" + fault.name().toLowerCase());
      }
      Answer a =
          injected != null
              ? error(injected, subReq, kindOf(subReq), Set.of())
              : "/".equals(subReq.path) && subReq.params.containsKey("ids") && "GET".equals(method)
                  ? ids(subReq)
                  : call(subReq);
      accounts.addAll(a.accounts());
      ObjectNode item = out.addObject();
      item.put("code", a.status());
      ObjectNode header = item.putArray("headers").addObject();
      header.put("name", "Content-Type");
      header.put("value", BATCH_CONTENT_TYPE);
      item.put("body", Json.string(a.body()));
      if (a.status() >= 400) {
        stats.error(a.status(), a.errorCode());
      }
      subRecords.add(
          new RecordedRequest(
              method,
              subReq.path,
              subReq.params,
              a.kind(),
              a.accountId(),
              a.status(),
              a.errorCode(),
              true));
    }
    if (faults.swappedBatchAnswersRate() > 0) {
      swapTwoAnswers(out, subPaths, requests);
    }
    return new Answer(200, out, EndpointKind.BATCH, accounts, null, subRecords);
  }

  /**
   * Gives the first two sub-requests about different objects each other's answer, if the fault is
   * drawn for that pair: drawn per pair, so that a retry of the same pair is capped by {@link
   * Faults#maxConsecutiveFaults()}.
   */
  private void swapTwoAnswers(ArrayNode answers, List<String> paths, JsonNode requests) {
    for (int i = 0; i < answers.size(); i++) {
      for (int j = i + 1; j < answers.size(); j++) {
        if (!answers.get(i).isNull()
            && !answers.get(j).isNull()
            && !paths.get(i).equals(paths.get(j))) {
          String pair =
              requests.get(i).path("relative_url").asText()
                  + " <> "
                  + requests.get(j).path("relative_url").asText();
          if (faultPlan.hits("swapped batch answers", pair, faults.swappedBatchAnswersRate())) {
            stats.fault("swapped_batch_answers");
            JsonNode first = answers.get(i);
            answers.set(i, answers.get(j));
            answers.set(j, first);
          }
          return;
        }
      }
    }
  }
}
