package io.instabeam.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cursor-based paging as on Graph edges: {@code limit}, {@code after}, {@code before}; {@code
 * paging.cursors.before} always, {@code cursors.after} and {@code next} only when a next page
 * exists, {@code previous} when items precede the page. Cursors are opaque base64 strings naming an
 * item, so a cursor stays valid while other filters (since/until) are unchanged.
 */
final class Pager {
  static final int MAX_LIMIT = 100;

  private Pager() {}

  static String cursor(String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("AQH" + id).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.startsWith("AQH")) {
        return decoded.substring(3);
      }
    } catch (IllegalArgumentException ignored) {
      // fall through to the error below
    }
    throw GraphError.invalidParameter("The cursor " + cursor + " is invalid");
  }

  static int limit(GraphRequest req, int defaultLimit) {
    String raw = req.param("limit");
    if (raw == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      // Meta silently clamps oversized pages to 100 and treats non-positive limits as the default.
      return limit <= 0 ? defaultLimit : Math.min(limit, MAX_LIMIT);
    } catch (NumberFormatException e) {
      throw GraphError.invalidParameter("Param limit must be a number");
    }
  }

  /**
   * One page of {@code items}. The paging faults of {@code faults} apply to the pages after the
   * first: with {@code repeatedItemsAcrossPages} such a page starts again with the item its cursor
   * names (the last of the page before), with {@code selfPointingPages} it names its own cursor as
   * the next one.
   */
  static <T> ObjectNode page(
      List<T> items,
      Function<T, String> idOf,
      Function<T, JsonNode> render,
      GraphRequest req,
      int defaultLimit,
      String baseUrl,
      Faults faults,
      StatsRecorder stats) {
    int limit = limit(req, defaultLimit);
    int start = 0;
    int end;
    String after = req.param("after");
    String before = req.param("before");
    if (after != null) {
      int named = indexOf(items, idOf, decode(after));
      // With a page of one, repeating its item would never move on.
      boolean repeat = faults.repeatedItemsAcrossPages() && limit > 1;
      if (repeat) {
        stats.fault("repeated_item");
      }
      start = repeat ? named : named + 1;
      end = Math.min(items.size(), start + limit);
    } else if (before != null) {
      end = indexOf(items, idOf, decode(before));
      start = Math.max(0, end - limit);
    } else {
      end = Math.min(items.size(), limit);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode data = body.putArray("data");
    List<T> slice = items.subList(start, end);
    for (T item : slice) {
      data.add(render.apply(item));
    }
    if (slice.isEmpty()) {
      return body;
    }
    boolean hasNext = end < items.size();
    ObjectNode paging = body.putObject("paging");
    ObjectNode cursors = paging.putObject("cursors");
    String first = cursor(idOf.apply(slice.get(0)));
    String last = cursor(idOf.apply(slice.get(slice.size() - 1)));
    if (after != null && faults.selfPointingPages()) {
      stats.fault("self_pointing_page");
      hasNext = true; // the last page too: its next is itself
      last = after;
    }
    cursors.put("before", first);
    if (hasNext) {
      cursors.put("after", last);
    }
    if (start > 0) {
      paging.put("previous", link(req, baseUrl, limit, "before", first));
    }
    if (hasNext) {
      paging.put("next", link(req, baseUrl, limit, "after", last));
    }
    return body;
  }

  /**
   * One page of a nested edge ({@code comments{…}} inside a media request): {@code edge} is the
   * request the edge's own paging link would make, its {@code limit} and {@code after} from the
   * field's modifiers. Nested pages have no paging faults.
   */
  static <T> ObjectNode nested(
      List<T> items,
      Function<T, String> idOf,
      Function<T, JsonNode> render,
      GraphRequest edge,
      int defaultLimit,
      String baseUrl) {
    return page(items, idOf, render, edge, defaultLimit, baseUrl, Faults.none(), null);
  }

  private static <T> int indexOf(List<T> items, Function<T, String> idOf, String id) {
    for (int i = 0; i < items.size(); i++) {
      if (idOf.apply(items.get(i)).equals(id)) {
        return i;
      }
    }
    throw GraphError.invalidParameter("The cursor is no longer valid for this request");
  }

  private static String link(
      GraphRequest req, String baseUrl, int limit, String cursorName, String cursor) {
    Map<String, String> params = new LinkedHashMap<>(req.params);
    params.remove("after");
    params.remove("before");
    params.put("limit", Integer.toString(limit));
    params.put(cursorName, cursor);
    return url(baseUrl, req, params);
  }

  /**
   * A link back to the emulator, with the request's access token as Meta's paging links carry it.
   */
  static String url(String baseUrl, GraphRequest req, Map<String, String> params) {
    StringBuilder sb =
        new StringBuilder(baseUrl).append('/').append(req.linkVersion()).append(req.path);
    if (req.token != null) {
      params = new LinkedHashMap<>(params);
      params.put("access_token", req.token);
    }
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      sb.append(sep)
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return sb.toString();
  }
}
