package io.instabeam.emulator;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Switches that change the emulated API the way Meta changes it under a client (all off by
 * default), so tests can prove a client survives a removal it has not seen yet:
 *
 * <ul>
 *   <li>{@code removed}: metrics Meta took out of the API (say {@code follower_count}, {@code
 *       online_followers}), for media and account insights alike; asking for one is answered like
 *       any unknown metric, "(#100) metric[i] must be one of the following values: …" (the valid
 *       ones);
 *   <li>{@code unsupported}: a metric a media kind stops supporting ({@code views:VIDEO/FEED};
 *       {@code *} matches any media type or product type): "(#100) The Media Insights API does not
 *       support the views metric for this media product type.";
 *   <li>{@code omitted}: a metric of a media kind that Meta leaves out of a successful answer,
 *       without an error.
 * </ul>
 *
 * <p>Kinds are {@code MEDIA_TYPE/MEDIA_PRODUCT_TYPE}, as in {@code IMAGE/FEED}, {@code
 * VIDEO/REELS}, {@code VIDEO/STORY}.
 */
final class MetricChurn {
  private final Set<String> removed = new LinkedHashSet<>();
  private final Map<String, Set<String>> unsupported = new LinkedHashMap<>();
  private final Map<String, Set<String>> omitted = new LinkedHashMap<>();

  void remove(String metric) {
    removed.add(requireName(metric));
  }

  void unsupport(String metric, String kind) {
    unsupported
        .computeIfAbsent(requireName(metric), m -> new LinkedHashSet<>())
        .add(requireKind(kind));
  }

  void omit(String metric, String kind) {
    omitted.computeIfAbsent(requireName(metric), m -> new LinkedHashSet<>()).add(requireKind(kind));
  }

  boolean removed(String metric) {
    return removed.contains(metric);
  }

  /** The metrics of {@code known} still in the API. */
  List<String> served(List<String> known) {
    return known.stream().filter(m -> !removed.contains(m)).toList();
  }

  boolean unsupported(String metric, MediaItem item) {
    return matches(unsupported, metric, item);
  }

  boolean omitted(String metric, MediaItem item) {
    return matches(omitted, metric, item);
  }

  private static boolean matches(Map<String, Set<String>> byMetric, String metric, MediaItem item) {
    for (String kind : byMetric.getOrDefault(metric, Set.of())) {
      String[] types = kind.split("/");
      if ((types[0].equals("*") || types[0].equals(item.mediaType()))
          && (types[1].equals("*") || types[1].equals(item.mediaProductType()))) {
        return true;
      }
    }
    return false;
  }

  /** Parses {@code metric:KIND,metric:KIND} (a flag's value) into {@code target}'s calls. */
  static void parsePairs(String value, java.util.function.BiConsumer<String, String> target) {
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] parts = pair.strip().split(":", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "expected METRIC:MEDIA_TYPE/PRODUCT_TYPE, e.g. views:VIDEO/FEED");
      }
      target.accept(parts[0], parts[1]);
    }
  }

  private static String requireName(String metric) {
    if (metric == null || !metric.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a metric name: " + metric);
    }
    return metric;
  }

  private static String requireKind(String kind) {
    if (kind == null || !kind.matches("(\\*|[A-Z_]+)/(\\*|[A-Z_]+)")) {
      throw new IllegalArgumentException(
          "not a media kind (MEDIA_TYPE/PRODUCT_TYPE, * for any): " + kind);
    }
    return kind;
  }

  @Override
  public String toString() {
    return "MetricChurn{removed="
        + removed
        + ", unsupported="
        + unsupported
        + ", omitted="
        + omitted
        + "}";
  }
}
