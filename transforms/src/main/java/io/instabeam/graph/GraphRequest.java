package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One GET against the Graph API: a path below the version ({@code 1784.../media}), its query
 * parameters, and the Instagram account whose rate budget it spends (null for calls that spend
 * none, such as {@code me/accounts}).
 */
public record GraphRequest(String path, Map<String, String> params, String accountId)
    implements Serializable {
  private static final Set<String> SECRET_PARAMETERS = Set.of("input_token", "access_token");

  public GraphRequest {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  public static GraphRequest get(String path, String accountId) {
    return new GraphRequest(path, Map.of(), accountId);
  }

  public GraphRequest with(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(params);
    copy.put(name, value);
    return new GraphRequest(path, copy, accountId);
  }

  /**
   * The request for the page after {@code page} of this edge (cursor paging: {@code
   * after=paging.cursors.after}), or null on the last page, which has no {@code paging.next}.
   */
  public GraphRequest nextPage(JsonNode page) {
    String after = page.path("paging").path("cursors").path("after").asText("");
    return page.path("paging").has("next") && !after.isEmpty() ? with("after", after) : null;
  }

  /**
   * True for an edge ({@code me/accounts}, {@code 1784…/media}, {@code 1790…/insights}): a path
   * below a node. Every edge of the Graph API lists its items in a {@code data} list; a node
   * ({@code 1784…}, {@code me}) is an object.
   */
  public boolean isEdge() {
    return path.indexOf('/') > 0;
  }

  /** The path and query as a batch sub-request's {@code relative_url} (values URL-encoded). */
  public String relativeUrl(String apiVersion) {
    String query =
        params.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return apiVersion + "/" + path + (query.isEmpty() ? "" : "?" + query);
  }

  /**
   * True when a parameter holds a secret ({@code debug_token}'s {@code input_token}): such a
   * request goes in a batch request's body, never in a URL.
   */
  public boolean carriesSecret() {
    return params.keySet().stream().anyMatch(SECRET_PARAMETERS::contains);
  }

  /**
   * Path and parameters for messages; secrets masked (the token travels only in the Authorization
   * header).
   */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>(params);
    SECRET_PARAMETERS.forEach(name -> shown.computeIfPresent(name, (k, v) -> "***"));
    return "GET " + path + (shown.isEmpty() ? "" : " " + shown);
  }
}
