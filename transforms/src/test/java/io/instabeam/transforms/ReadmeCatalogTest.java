package io.instabeam.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.instabeam.graph.GraphApiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The metric tables of {@code docs/streams.md} are generated from {@link MetricCatalog}: this test
 * renders them and fails when the file's differ. To rewrite them after changing the catalog: {@code
 * mvn -B -o -pl transforms -am test -Dtest=ReadmeCatalogTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dinstabeam.updateReadme=true}.
 */
class ReadmeCatalogTest {
  private static final Path STREAMS_DOC =
      Path.of(System.getProperty("basedir", "."), "..", "docs", "streams.md").normalize();
  private static final MetricCatalog.Selection AIRBYTE =
      new MetricCatalog.Selection(
          MetricSet.AIRBYTE, Login.FACEBOOK, GraphApiConfig.DEFAULT_API_VERSION);
  private static final MetricCatalog.Selection CURRENT =
      new MetricCatalog.Selection(
          MetricSet.CURRENT, Login.FACEBOOK, GraphApiConfig.DEFAULT_API_VERSION);

  @Test
  void theStreamsDocTablesAreTheCatalogs() throws IOException {
    String doc = Files.readString(STREAMS_DOC, StandardCharsets.UTF_8);
    String expected = doc;
    for (Map.Entry<String, String> table : tables().entrySet()) {
      expected = replaceBlock(expected, table.getKey(), table.getValue());
    }
    if (!expected.equals(doc) && Boolean.getBoolean("instabeam.updateReadme")) {
      Files.writeString(STREAMS_DOC, expected, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(
        expected,
        doc,
        "docs/streams.md's catalog tables differ from MetricCatalog; regenerate them with "
            + "-Dinstabeam.updateReadme=true (see this test's javadoc)");
  }

  static Map<String, String> tables() {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put("item-insights", itemInsights());
    tables.put("fields", fields());
    tables.put("account-insights", accountInsights());
    tables.put("demographics", demographics());
    return tables;
  }

  private static String itemInsights() {
    List<String> kinds = MetricCatalog.MEDIA_KINDS;
    StringBuilder text =
        new StringBuilder("| metric | ")
            .append(String.join(" | ", kinds))
            .append(" | stories | type | login | added |\n|---|")
            .append("---|".repeat(kinds.size() + 4))
            .append('\n');
    for (MetricCatalog.ItemMetric metric : MetricCatalog.ITEM_METRICS) {
      text.append("| `").append(metric.name()).append("` |");
      for (String kind : kinds) {
        String[] types = kind.split("/");
        text.append(' ')
            .append(
                sets(
                    metric.name(),
                    AIRBYTE.mediaInsights(types[0], types[1]),
                    CURRENT.mediaInsights(types[0], types[1])))
            .append(" |");
      }
      text.append(' ')
          .append(sets(metric.name(), AIRBYTE.storyInsights(), CURRENT.storyInsights()))
          .append(" | ")
          .append(type(metric.type()))
          .append(" | ")
          .append(logins(metric.availability().logins()))
          .append(" | ")
          .append(added(metric.availability()))
          .append(" |\n");
    }
    return text.toString();
  }

  private static String fields() {
    StringBuilder text =
        new StringBuilder(
            "| field | media | stories | children | type | sets | login | added |\n|---|---|---|---|---|---|---|---|\n");
    for (MetricCatalog.Field field : MetricCatalog.FIELDS) {
      text.append("| `").append(field.name()).append("` |");
      for (MetricCatalog.Edge edge : MetricCatalog.Edge.values()) {
        text.append(field.edges().contains(edge) ? " ✓ |" : "  |");
      }
      text.append(' ')
          .append(type(field.type()))
          .append(" | ")
          .append(
              field.sets().size() == 2
                  ? "A C"
                  : field.sets().contains(MetricSet.CURRENT) ? "C" : "A")
          .append(" | ")
          .append(logins(field.availability().logins()))
          .append(" | ")
          .append(added(field.availability()))
          .append(" |\n");
    }
    return text.toString();
  }

  private static String accountInsights() {
    StringBuilder text =
        new StringBuilder(
            "| record key | request | sets | type | added |\n|---|---|---|---|---|\n");
    for (MetricCatalog.SeriesMetric metric : MetricCatalog.ACCOUNT_TIME_SERIES) {
      for (String period : metric.periods()) {
        text.append("| `")
            .append(metric.name())
            .append(InsightsWindows.Group.suffixOf(period))
            .append("` | time series, `period=")
            .append(period)
            .append("` | A C | ")
            .append(type(metric.type()))
            .append(" | ")
            .append(added(metric.availability()))
            .append(" |\n");
      }
    }
    for (MetricCatalog.TotalMetric metric : MetricCatalog.ACCOUNT_DAILY_TOTALS) {
      text.append("| `")
          .append(metric.key())
          .append("` | one total per day")
          .append(metric.breakdown() == null ? "" : ", `breakdown=" + metric.breakdown() + "`")
          .append(" | C | ")
          .append(type(metric.type()))
          .append(" | ")
          .append(added(metric.availability()))
          .append(" |\n");
    }
    return text.toString();
  }

  private static String demographics() {
    StringBuilder text =
        new StringBuilder("| `metric` | breakdowns | timeframe | sets |\n|---|---|---|---|\n");
    for (MetricCatalog.Demographic d : MetricCatalog.DEMOGRAPHICS) {
      text.append("| `")
          .append(d.metric())
          .append("` | ")
          .append(d.breakdowns().stream().map(b -> "`" + b + "`").collect(Collectors.joining(", ")))
          .append(" | ")
          .append(d.timeframe() == null ? "—" : "`" + d.timeframe() + "`")
          .append(" | ")
          .append(d.sets().size() == 2 ? "A C" : "C")
          .append(" |\n");
    }
    return text.toString();
  }

  private static String sets(String metric, List<String> airbyte, List<String> current) {
    List<String> in = new ArrayList<>();
    if (airbyte.contains(metric)) {
      in.add("A");
    }
    if (current.contains(metric)) {
      in.add("C");
    }
    return String.join(" ", in);
  }

  private static final Map<MetricCatalog.Type, String> TYPES =
      Map.of(
          MetricCatalog.Type.INTEGER,
          "integer",
          MetricCatalog.Type.NUMBER,
          "number",
          MetricCatalog.Type.STRING,
          "string",
          MetricCatalog.Type.BOOLEAN,
          "boolean",
          MetricCatalog.Type.TIMESTAMP,
          "timestamp",
          MetricCatalog.Type.OBJECT,
          "object",
          MetricCatalog.Type.LIST,
          "list of objects",
          MetricCatalog.Type.COUNTS,
          "object of integers");

  private static String type(MetricCatalog.Type type) {
    return TYPES.get(type);
  }

  private static String logins(Set<Login> logins) {
    return logins.size() == Login.values().length
        ? "both"
        : logins.stream()
            .map(Login::optionValue)
            .map(l -> Character.toUpperCase(l.charAt(0)) + l.substring(1))
            .collect(Collectors.joining(", "));
  }

  /** The first version and the month Meta added an entry, as far as either is known. */
  private static String added(MetricCatalog.Availability availability) {
    List<String> parts = new ArrayList<>();
    if (availability.sinceVersion() != null) {
      parts.add(availability.sinceVersion());
    }
    if (availability.added() != null) {
      parts.add(availability.added());
    }
    return String.join(", ", parts);
  }

  /**
   * {@code text} with the lines between {@code <!-- catalog:NAME -->} and {@code <!-- /catalog:NAME
   * -->} replaced.
   */
  static String replaceBlock(String text, String name, String table) {
    String open = "<!-- catalog:" + name + " -->\n";
    String close = "<!-- /catalog:" + name + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    if (start < 0 || end < start) {
      throw new AssertionError("docs/streams.md lacks the block " + open.strip() + " … " + close);
    }
    return text.substring(0, start + open.length()) + table + text.substring(end);
  }
}
