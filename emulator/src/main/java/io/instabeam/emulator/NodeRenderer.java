package io.instabeam.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Renders Graph nodes honouring {@code fields}: only the requested fields, in request order, {@code
 * id} always present, fields without a value omitted (as Meta omits them), unknown field names
 * rejected with "(#100) Tried accessing nonexisting field (x) on node type (IGMedia)".
 */
final class NodeRenderer {
  static final Set<String> USER_FIELDS =
      Set.of(
          "id",
          "ig_id",
          "username",
          "name",
          "biography",
          "website",
          "followers_count",
          "follows_count",
          "media_count",
          "profile_picture_url");
  static final Set<String> MEDIA_FIELDS =
      Set.of(
          "id",
          "ig_id",
          "caption",
          "comments_count",
          "is_comment_enabled",
          "like_count",
          "media_type",
          "media_product_type",
          "media_url",
          "owner",
          "permalink",
          "shortcode",
          "thumbnail_url",
          "timestamp",
          "username",
          "children",
          "insights",
          "reposts_count",
          "saved_count",
          "shares_count",
          "media_audio_type",
          "is_ai_generated",
          "comments",
          "view_count");

  /**
   * What the tags and collaborative_media edges serve of other creators' media: public fields, no
   * insights.
   */
  static final Set<String> PUBLIC_MEDIA_FIELDS =
      Set.of(
          "id",
          "caption",
          "comments_count",
          "like_count",
          "media_type",
          "media_product_type",
          "media_url",
          "permalink",
          "timestamp",
          "username");

  static final Set<String> COMMENT_FIELDS =
      Set.of(
          "id",
          "text",
          "timestamp",
          "username",
          "from",
          "like_count",
          "hidden",
          "parent_id",
          "media",
          "replies");

  /**
   * Business Discovery's profile fields, and the fields of its nested media ({@code view_count}:
   * reels only).
   */
  static final Set<String> DISCOVERY_FIELDS =
      Set.of(
          "id",
          "ig_id",
          "username",
          "name",
          "biography",
          "website",
          "followers_count",
          "follows_count",
          "media_count",
          "profile_picture_url",
          "media");

  static final Set<String> DISCOVERY_MEDIA_FIELDS =
      Set.of(
          "id",
          "caption",
          "comments_count",
          "like_count",
          "media_type",
          "media_product_type",
          "media_url",
          "permalink",
          "timestamp",
          "username",
          "view_count");

  /** Default page size of nested edges, as of the edges themselves. */
  static final int NESTED_LIMIT = 25;

  static final Set<String> PAGE_FIELDS =
      Set.of("id", "name", "category", "instagram_business_account");

  private static final List<FieldSpec> ID_ONLY =
      List.of(new FieldSpec("id", java.util.Map.of(), null));

  private final Dataset data;
  private final MediaInsights insights;
  private final Supplier<String> baseUrl;
  private final LoginHost host;

  NodeRenderer(Dataset data, MediaInsights insights, Supplier<String> baseUrl, LoginHost host) {
    this.data = data;
    this.insights = insights;
    this.baseUrl = baseUrl;
    this.host = host;
  }

  /** Checks the fields of a media or story node against those of the host. */
  void checkMediaFields(List<FieldSpec> fields) {
    checkFields(fields, MEDIA_FIELDS, "IGMedia");
    refuseHostless(fields, "IGMedia");
  }

  /** A field the host does not have (a Facebook-Login-only one on the Instagram-Login host). */
  private void refuseHostless(List<FieldSpec> fields, String nodeType) {
    for (FieldSpec f : fields) {
      if (host.refusedFields.contains(f.name())) {
        throw GraphError.nonexistingField(f.name(), nodeType);
      }
    }
  }

  static void checkFields(List<FieldSpec> fields, Set<String> allowed, String nodeType) {
    for (FieldSpec f : fields) {
      if (!allowed.contains(f.name())) {
        throw GraphError.nonexistingField(f.name(), nodeType);
      }
    }
  }

  private static List<FieldSpec> orIdOnly(List<FieldSpec> fields) {
    return fields.isEmpty() ? ID_ONLY : fields;
  }

  ObjectNode user(IgUser u, List<FieldSpec> requested, Instant now) {
    List<FieldSpec> fields = orIdOnly(requested);
    refuseHostless(fields, "IGUser");
    checkFields(fields, USER_FIELDS, "IGUser");
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      switch (f.name()) {
        case "id":
          node.put("id", u.id());
          break;
        case "ig_id":
          node.put("ig_id", u.igId());
          break;
        case "username":
          node.put("username", u.username());
          break;
        case "name":
          node.put("name", u.name());
          break;
        case "biography":
          node.put("biography", u.biography());
          break;
        case "website":
          node.put("website", u.website());
          break;
        case "followers_count":
          node.put("followers_count", u.followersCount());
          break;
        case "follows_count":
          node.put("follows_count", u.followsCount());
          break;
        case "media_count":
          node.put("media_count", visibleMediaCount(u, now));
          break;
        case "profile_picture_url":
          node.put("profile_picture_url", u.profilePictureUrl());
          break;
        default:
          break;
      }
    }
    node.put("id", u.id());
    return node;
  }

  /**
   * Media posted after the current clock do not exist yet (lets tests move the clock back and
   * forth).
   */
  long visibleMediaCount(IgUser u, Instant now) {
    return data.media(u.id(), now).stream().filter(m -> !m.timestamp().isAfter(now)).count();
  }

  /**
   * A page; its {@code instagram_business_account} is left out when a Business portfolio owns the
   * account and the token lacks business_management ({@code portfolioVisible} false), as Meta does.
   */
  ObjectNode page(
      FacebookPage p, List<FieldSpec> requested, Instant now, boolean portfolioVisible) {
    List<FieldSpec> fields =
        requested.isEmpty()
            ? List.of(
                new FieldSpec("id", java.util.Map.of(), null),
                new FieldSpec("name", java.util.Map.of(), null))
            : requested;
    checkFields(fields, PAGE_FIELDS, "Page");
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      switch (f.name()) {
        case "id":
          node.put("id", p.id());
          break;
        case "name":
          node.put("name", p.name());
          break;
        case "category":
          node.put("category", p.category());
          break;
        case "instagram_business_account":
          if (p.hasInstagram()
              && (portfolioVisible || !data.ownedByPortfolio(p.instagramBusinessAccountId()))) {
            IgUser u = data.user(p.instagramBusinessAccountId()).orElseThrow();
            node.set(
                "instagram_business_account", user(u, f.expanded() ? f.nested() : List.of(), now));
          }
          break;
        default:
          break;
      }
    }
    node.put("id", p.id());
    return node;
  }

  ObjectNode media(MediaItem m, List<FieldSpec> requested, Instant now) {
    List<FieldSpec> fields = orIdOnly(requested);
    checkMediaFields(fields);
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      if (postField(node, m, f, now)) {
        continue;
      }
      switch (f.name()) {
        case "caption":
          putIfPresent(node, "caption", m.caption());
          break;
        case "comments_count":
          node.put("comments_count", m.commentsCount());
          break;
        case "is_comment_enabled":
          node.put("is_comment_enabled", m.commentEnabled());
          break;
        case "like_count":
          node.put("like_count", m.likeCount());
          break;
        case "media_product_type":
          node.put("media_product_type", m.mediaProductType());
          break;
        case "children":
          if (m.isCarousel()) {
            ArrayNode children = node.putObject("children").putArray("data");
            for (CarouselChild c : m.children()) {
              children.add(child(c, f.expanded() ? f.nested() : List.of(), now));
            }
          }
          break;
        // Counts of 2026-04 (feed media only; a story has none), audio type (videos only), the AI
        // label (all).
        case "reposts_count":
          if (!m.isStory()) {
            node.put("reposts_count", data.mediaInsight(m, "reposts"));
          }
          break;
        case "saved_count":
          if (!m.isStory()) {
            node.put("saved_count", data.mediaInsight(m, "saved"));
          }
          break;
        case "shares_count":
          if (!m.isStory()) {
            node.put("shares_count", data.mediaInsight(m, "shares"));
          }
          break;
        case "media_audio_type":
          putIfPresent(node, "media_audio_type", data.mediaAudioType(m));
          break;
        case "is_ai_generated":
          node.put("is_ai_generated", data.isAiGenerated(m));
          break;
        case "view_count":
          if (m.isReel()) {
            node.put("view_count", data.mediaInsight(m, "views"));
          }
          break;
        case "comments":
          if (!m.isStory()) {
            List<FieldSpec> nested = f.expanded() ? f.nested() : List.of();
            node.set(
                "comments",
                Pager.nested(
                    visibleComments(data.comments(m), now),
                    Comment::id,
                    c -> comment(c, nested, now),
                    nestedEdge("/" + m.id() + "/comments", f),
                    NESTED_LIMIT,
                    baseUrl.get()));
          }
          break;
        case "insights":
          String metrics = f.modifiers().get("metric");
          if (metrics == null || metrics.isBlank()) {
            throw GraphError.invalidParameter(
                "For field 'insights': The parameter metric is required");
          }
          node.set("insights", insights.render(m, MediaInsights.metricList(metrics), now));
          break;
        default:
          break;
      }
    }
    node.put("id", m.id());
    return node;
  }

  ObjectNode child(CarouselChild c, List<FieldSpec> requested, Instant now) {
    List<FieldSpec> fields = orIdOnly(requested);
    checkFields(fields, MEDIA_FIELDS, "IGMedia");
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      if (!postField(node, c, f, now) && f.name().equals("insights")) {
        throw MediaInsights.childHasNoInsights();
      } // caption, counts, children, product type: album slides do not have them
    }
    node.put("id", c.id());
    return node;
  }

  /** Renders {@code f} if it is a field media and album slides share; false if it is not. */
  private boolean postField(ObjectNode node, Post p, FieldSpec f, Instant now) {
    switch (f.name()) {
      case "id" -> node.put("id", p.id());
      case "ig_id" -> node.put("ig_id", p.igId());
      case "media_type" -> node.put("media_type", p.mediaType());
      case "media_url" -> node.put("media_url", p.mediaUrl());
      case "owner" -> node.set("owner", owner(p.ownerId(), f, now));
      case "permalink" -> node.put("permalink", p.permalink());
      case "shortcode" -> node.put("shortcode", p.shortcode());
      case "thumbnail_url" -> putIfPresent(node, "thumbnail_url", p.thumbnailUrl());
      case "timestamp" -> node.put("timestamp", GraphTime.format(p.timestamp()));
      case "username" -> node.put("username", p.username());
      default -> {
        return false;
      }
    }
    return true;
  }

  /** A comment or reply; {@code replies{…}} expands to the first page of its replies. */
  ObjectNode comment(Comment c, List<FieldSpec> requested, Instant now) {
    List<FieldSpec> fields = orIdOnly(requested);
    checkFields(fields, COMMENT_FIELDS, "IGComment");
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      switch (f.name()) {
        case "id":
          node.put("id", c.id());
          break;
        case "text":
          node.put("text", c.text());
          break;
        case "timestamp":
          node.put("timestamp", GraphTime.format(c.timestamp()));
          break;
        case "username":
          node.put("username", c.username());
          break;
        case "from":
          node.putObject("from").put("id", c.fromId()).put("username", c.username());
          break;
        case "like_count":
          node.put("like_count", c.likeCount());
          break;
        case "hidden":
          node.put("hidden", c.hidden());
          break;
        case "parent_id":
          putIfPresent(node, "parent_id", c.parentId());
          break;
        case "media":
          node.putObject("media").put("id", c.mediaId());
          break;
        case "replies":
          if (!c.isReply()) {
            List<FieldSpec> nested = f.expanded() ? f.nested() : List.of();
            node.set(
                "replies",
                Pager.nested(
                    visibleComments(data.replies(c), now),
                    Comment::id,
                    r -> comment(r, nested, now),
                    nestedEdge("/" + c.id() + "/replies", f),
                    NESTED_LIMIT,
                    baseUrl.get()));
          }
          break;
        default:
          break;
      }
    }
    node.put("id", c.id());
    return node;
  }

  /** Comments exist once the clock has reached their timestamp. */
  static List<Comment> visibleComments(List<Comment> comments, Instant now) {
    return comments.stream().filter(c -> !c.timestamp().isAfter(now)).toList();
  }

  /**
   * Business Discovery: the profile {@code business_discovery.username(X){…}} names, with its media
   * through the nested {@code media.after(cursor).limit(n){…}} edge. Its paging carries cursors
   * only: the next page is the same request with {@code .after(cursor)}, there is no link to
   * follow.
   */
  ObjectNode businessDiscovery(FieldSpec discovery, Instant now) {
    String username = discovery.modifiers().get("username");
    if (username == null || username.isBlank()) {
      throw GraphError.invalidParameter(
          "For field 'business_discovery': The parameter username is required");
    }
    CompetitorProfile profile =
        data.competitor(username)
            .filter(CompetitorProfile::professional)
            .orElseThrow(() -> GraphError.userNotFound(username));
    List<FieldSpec> fields = orIdOnly(discovery.expanded() ? discovery.nested() : List.of());
    checkFields(fields, DISCOVERY_FIELDS, "IGUser");
    List<MediaItem> media =
        profile.media().stream().filter(m -> !m.timestamp().isAfter(now)).toList();
    ObjectNode node = Json.MAPPER.createObjectNode();
    for (FieldSpec f : fields) {
      switch (f.name()) {
        case "ig_id":
          node.put("ig_id", profile.igId());
          break;
        case "username":
          node.put("username", profile.username());
          break;
        case "name":
          node.put("name", profile.name());
          break;
        case "biography":
          node.put("biography", profile.biography());
          break;
        case "website":
          node.put("website", profile.website());
          break;
        case "followers_count":
          node.put("followers_count", profile.followersCount());
          break;
        case "follows_count":
          node.put("follows_count", profile.followsCount());
          break;
        case "media_count":
          node.put("media_count", media.size());
          break;
        case "profile_picture_url":
          node.put("profile_picture_url", profile.profilePictureUrl());
          break;
        case "media":
          List<FieldSpec> nested = f.expanded() ? f.nested() : List.of();
          checkFields(nested, DISCOVERY_MEDIA_FIELDS, "IGMedia");
          ObjectNode page =
              Pager.nested(
                  media,
                  MediaItem::id,
                  m -> media(m, nested, now),
                  nestedEdge("/" + profile.id() + "/media", f),
                  NESTED_LIMIT,
                  baseUrl.get());
          if (page.has("paging")) {
            ((ObjectNode) page.get("paging")).remove(List.of("next", "previous"));
          }
          node.set("media", page);
          break;
        default:
          break;
      }
    }
    node.put("id", profile.id());
    return node;
  }

  /**
   * The request a nested edge's paging stands for: its path, fields, and the field's
   * limit/after/before.
   */
  private static GraphRequest nestedEdge(String path, FieldSpec f) {
    Map<String, String> params = new LinkedHashMap<>();
    if (f.expanded()) {
      params.put("fields", FieldSpec.text(f.nested()));
    }
    for (String modifier : List.of("limit", "after", "before")) {
      if (f.modifiers().containsKey(modifier)) {
        params.put(modifier, f.modifiers().get(modifier));
      }
    }
    return new GraphRequest("GET", null, path, params, null, false);
  }

  private ObjectNode owner(String ownerId, FieldSpec f, Instant now) {
    if (f.expanded() && !f.nested().isEmpty()) {
      return user(data.user(ownerId).orElseThrow(), f.nested(), now);
    }
    ObjectNode owner = Json.MAPPER.createObjectNode();
    owner.put("id", ownerId);
    return owner;
  }

  private static void putIfPresent(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }
}
