package io.instabeam.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * The pages of one edge, read one at a time by cursor ({@link GraphRequest#nextPage}): each page's
 * items are its {@code data} list, which the client has checked is there. A cursor that comes back
 * within the same chain (a page whose {@code paging.next} points to itself, or to a page already
 * read) ends the read with an error: following it would write the same items again and again.
 */
public final class EdgePages {
  private final GraphApiClient client;
  private final GraphRequest first;
  private final Set<String> cursors = new HashSet<>();
  private GraphRequest next;

  EdgePages(GraphApiClient client, GraphRequest first) {
    this.client = client;
    this.first = first;
    this.next = first;
  }

  /**
   * Whether there is a page left to read: before the first, and while the last one read named a
   * next one.
   */
  public boolean hasNext() {
    return next != null;
  }

  /** Reads the next page and returns its items (a JSON array of objects). */
  public JsonNode next() {
    if (next == null) {
      throw new IllegalStateException("no page left on " + first);
    }
    JsonNode page = client.get(next);
    GraphRequest following = first.nextPage(page);
    if (following != null && !cursors.add(following.params().get("after"))) {
      throw new GraphApiException(
          "Meta returned the same page cursor twice for "
              + first
              + " (its paging loops): "
              + "the read stopped rather than write the same items again, and nothing of this run was published. Run "
              + "the job again; if it persists, the Graph API (or a proxy in between) serves a broken paging.next.",
          GraphApiError.malformedAnswer(200, "repeated page cursor"));
    }
    next = following;
    return page.get("data");
  }
}
