package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.instabeam.schemas.StreamCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing a stream's staged files: overwrite replaces the old files, and a retried publish loses
 * nothing.
 */
class PublishTest {
  @TempDir Path tmp;
  Path staging;
  Path stream;

  @BeforeEach
  void stageARun() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    staging = Files.createDirectories(tmp.resolve(".staging/run-2/media"));
    stream = Files.createDirectories(tmp.resolve("media"));
    Files.writeString(stream.resolve("run-1-00000-of-00001.jsonl"), "{\"id\":\"old\"}\n");
    Files.writeString(staging.resolve("run-2-00000-of-00001.jsonl"), "{\"id\":\"new\"}\n");
  }

  @Test
  void overwriteReplacesTheOldFilesWithTheNewOnes() throws IOException {
    FilesSink.Publish.publish(publication(), List.of());
    assertEquals(List.of("run-2-00000-of-00001.jsonl"), names(stream));
  }

  @Test
  void aRetriedPublishKeepsWhatTheFirstAttemptPublished() throws IOException {
    FilesSink.Publish.publish(publication(), List.of());
    FilesSink.Publish.publish(
        publication(), List.of()); // the runner retries the bundle after a failure further on
    assertEquals(List.of("run-2-00000-of-00001.jsonl"), names(stream));
    assertEquals(
        "{\"id\":\"new\"}\n", Files.readString(stream.resolve("run-2-00000-of-00001.jsonl")));
  }

  private FilesSink.Publication publication() {
    return new FilesSink.Publication(
        StreamCatalog.get("media"),
        staging + "/",
        stream + "/",
        true,
        FileFormat.JSONL,
        "run-2",
        null,
        true);
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
