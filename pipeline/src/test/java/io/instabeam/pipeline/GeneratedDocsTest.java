package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The docs' options reference is generated from {@link InstabeamOptions} (through {@link
 * Help#options()}, what {@code --help} prints) and the entity-relationship diagram from {@link
 * Discover#erd()} (what {@code discover --erd} prints), the README's table of streams from {@link
 * Streams} ({@link Discover#streamsTable()}): these tests render them and fail when the files under
 * {@code docs/} differ. To rewrite them after changing an option or a stream schema: {@code mvn -B
 * -o -pl pipeline -am test -Dtest=GeneratedDocsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dinstabeam.updateReadme=true}.
 */
class GeneratedDocsTest {
  private static final Path DOCS =
      Path.of(System.getProperty("basedir", "."), "..", "docs").normalize();

  @Test
  void theOptionsReferenceIsInstabeamOptions() throws IOException {
    assertBlock(DOCS.resolve("operations.md"), "options", optionsTable());
  }

  @Test
  void theEntityRelationshipDiagramIsDiscovers() throws IOException {
    assertBlock(DOCS.resolve("streams.md"), "erd", "```mermaid\n" + Discover.erd() + "```\n");
  }

  @Test
  void theReadmesTableOfStreamsIsStreams() throws IOException {
    assertBlock(DOCS.resolveSibling("README.md"), "streams", Discover.streamsTable());
  }

  static String optionsTable() {
    StringBuilder text =
        new StringBuilder("| option | type | default | meaning |\n|---|---|---|---|\n");
    for (Help.Option option : Help.options()) {
      text.append("| `--")
          .append(option.name())
          .append("` | ")
          .append(option.type().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(option.defaultValue() == null ? "" : "`" + option.defaultValue() + "`")
          .append(" | ")
          .append(option.description().replace("|", "\\|"))
          .append(" |\n");
    }
    return text.toString();
  }

  /**
   * Fails unless {@code file}'s block {@code name} holds {@code content}; rewrites it with the
   * update property.
   */
  private static void assertBlock(Path file, String name, String content) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String expected = replaceBlock(text, name, content);
    if (!expected.equals(text) && Boolean.getBoolean("instabeam.updateReadme")) {
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(
        expected,
        text,
        file
            + "'s generated block '"
            + name
            + "' is stale; regenerate it with "
            + "-Dinstabeam.updateReadme=true (see this test's javadoc)");
  }

  /**
   * {@code text} with {@code content} between {@code <!-- generated:NAME -->} and {@code <!--
   * /generated:NAME -->}.
   */
  private static String replaceBlock(String text, String name, String content) {
    String open = "<!-- generated:" + name + " -->\n";
    String close = "<!-- /generated:" + name + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    if (start < 0 || end < start) {
      throw new AssertionError("the file lacks the block " + open.strip() + " … " + close);
    }
    return text.substring(0, start + open.length()) + content + text.substring(end);
  }
}
