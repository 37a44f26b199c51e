package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.instabeam.schemas.StreamCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing JSONL joins a stream's part files (one per bundle) into files of about
 * RECORDS_PER_FILE records.
 */
class JoinPartsTest {
  static final int PART = (int) FilesSink.RECORDS_PER_FILE / 2;

  @TempDir Path tmp;
  Path parts;
  Path staging;
  Path stream;

  @BeforeEach
  void stageThreeParts() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    parts = Files.createDirectories(tmp.resolve(".staging/run-2/parts/media"));
    staging = tmp.resolve(".staging/run-2/media");
    stream = tmp.resolve("media");
    for (int part = 0; part < 3; part++) {
      int first = part * PART;
      Files.writeString(
          parts.resolve("run-2-0000" + part + "-of-00003.jsonl"),
          IntStream.range(first, first + PART)
              .mapToObj(i -> "{\"id\":\"" + i + "\"}\n")
              .collect(Collectors.joining()));
    }
  }

  @Test
  void partsAreJoinedInOrderIntoFilesOfAboutRecordsPerFile() throws IOException {
    FilesSink.Publish.publish(publication(), parts());
    assertEquals(List.of("run-2-00000.jsonl", "run-2-00001.jsonl"), names(stream));
    assertEquals(2 * PART, Files.readAllLines(stream.resolve("run-2-00000.jsonl")).size());
    assertEquals(allRecords(), records());
    assertEquals(List.of(FilesSink.JOINED_MARK), names(parts));
  }

  @Test
  void aPartNoWriteNamedIsNotPublished() throws IOException {
    List<ResourceId> named = parts();
    Files.writeString(parts.resolve("run-2-retried-bundle.jsonl"), "{\"id\":\"written twice\"}\n");
    FilesSink.Publish.publish(publication(), named);
    assertEquals(allRecords(), records());
  }

  @Test
  void aPublishRetriedAfterTheJoinDoesNotJoinTheLeftoverPartsAgain() throws IOException {
    FilesSink.Publish.joinParts(publication(), parts());
    Files.writeString(
        parts.resolve("run-2-00001-of-00003.jsonl"), "{\"id\":\"left over\"}\n"); // not deleted yet
    FilesSink.Publish.publish(publication(), parts());
    assertEquals(allRecords(), records());
  }

  @Test
  void aPublishRetriedAfterAHalfWrittenJoinJoinsAgainFromTheParts() throws IOException {
    Files.createDirectories(staging);
    Files.writeString(
        staging.resolve("run-2-00000.jsonl"), "{\"id\":\"0\"}\n{\"id\":"); // the crashed attempt's
    FilesSink.Publish.publish(publication(), parts());
    assertEquals(allRecords(), records());
  }

  /** The parts the writes named: every part file in the folder. */
  private List<ResourceId> parts() throws IOException {
    return names(parts).stream()
        .filter(name -> name.endsWith(".jsonl"))
        .map(name -> FileSystems.matchNewResource(parts.resolve(name).toString(), false))
        .toList();
  }

  private FilesSink.Publication publication() {
    return new FilesSink.Publication(
        StreamCatalog.get("media"),
        staging + "/",
        stream + "/",
        true,
        FileFormat.JSONL,
        "run-2",
        parts + "/",
        true);
  }

  private static List<String> allRecords() {
    return IntStream.range(0, 3 * PART).mapToObj(i -> "{\"id\":\"" + i + "\"}").toList();
  }

  private List<String> records() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String name : names(stream)) {
      lines.addAll(Files.readAllLines(stream.resolve(name)));
    }
    return lines;
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
