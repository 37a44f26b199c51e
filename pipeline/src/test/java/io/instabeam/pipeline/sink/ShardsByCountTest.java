package io.instabeam.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stream is written as one file per so many records, at least one, never a file per bundle. */
class ShardsByCountTest {
  @TempDir Path tmp;

  /**
   * Records go to the shards round robin from a random start per bundle, so a shard may stay empty
   * (no file).
   */
  @ParameterizedTest(name = "{0} records, {1} per file -> at most {2} file(s)")
  @CsvSource({"1, 2, 1", "2, 2, 1", "5, 2, 3", "40, 100, 1", "1000, 100, 10"})
  void filesFollowTheRecordCount(int records, long perFile, int files) throws IOException {
    List<String> lines =
        IntStream.range(0, records)
            .mapToObj(i -> "{\"id\":\"" + i + "\"}")
            .collect(Collectors.toList());
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline
        .apply(Create.of(lines).withCoder(StringUtf8Coder.of()))
        .apply(
            FileIO.<String>write()
                .via(TextIO.sink())
                .to(tmp.toString())
                .withSuffix(".jsonl")
                .withSharding(new FilesSink.ShardsByCount(perFile)));
    pipeline.run().waitUntilFinish();
    try (Stream<Path> written = Files.list(tmp)) {
      List<Path> jsonl = written.filter(p -> p.toString().endsWith(".jsonl")).toList();
      assertTrue(
          jsonl.size() >= Math.min(records, 1) && jsonl.size() <= files, jsonl.size() + " files");
      if (files == 1) {
        assertEquals(1, jsonl.size());
      }
      long total = 0;
      for (Path file : jsonl) {
        total += Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
      }
      assertEquals(records, total);
    }
  }
}
