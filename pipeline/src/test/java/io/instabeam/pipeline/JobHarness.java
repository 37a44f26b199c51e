package io.instabeam.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Runs the job through its real entry point, {@link Main}, and reads back what it published. */
final class JobHarness {
  static final ObjectMapper JSON = new ObjectMapper();

  private JobHarness() {}

  /** The outcome of one run: exit status and what it printed. */
  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    return run(Map.of(), args);
  }

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Main(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every published record, by stream folder name. */
  static Map<String, List<ObjectNode>> published(Path output) {
    Map<String, List<ObjectNode>> streams = new TreeMap<>();
    if (!Files.isDirectory(output)) {
      return streams;
    }
    try (Stream<Path> folders = Files.list(output)) {
      for (Path folder :
          folders
              .filter(Files::isDirectory)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .toList()) {
        streams.put(folder.getFileName().toString(), records(folder));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return streams;
  }

  static List<ObjectNode> records(Path folder) {
    List<ObjectNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            records.add((ObjectNode) JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** Every file under {@code root} with its bytes, to compare runs and prove nothing changed. */
  /**
   * The published streams and the state: {@link #snapshot} without the staging of runs that failed.
   */
  static Map<String, String> publishedSnapshot(Path root) {
    Map<String, String> files = snapshot(root);
    files.keySet().removeIf(name -> name.contains(".staging"));
    return files;
  }

  static Map<String, String> snapshot(Path root) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> tree = Files.walk(root)) {
      for (Path file : tree.filter(Files::isRegularFile).toList()) {
        // Latin-1 maps every byte to a char: Parquet files compare byte for byte too.
        files.put(
            root.relativize(file).toString(),
            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
