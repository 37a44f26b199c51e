package io.instabeam.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream without records (an account with no story in the last 24 hours) still publishes one
 * valid, empty file.
 */
class EmptyStreamTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @TempDir Path tmp;

  @Test
  void emptyStreamsPublishOneEmptyFileInEachFormat() throws IOException {
    try (GraphApiEmulator emulator =
        GraphApiEmulator.builder()
            .seed(8)
            .accessToken("empty-stream-token")
            .accounts(1)
            .mediaPerAccount(3)
            .storiesPerAccount(0)
            .now(NOW)
            .build()
            .start()) {
      for (String format : List.of("jsonl", "parquet")) {
        Path output = tmp.resolve(format);
        JobHarness.Run run =
            JobHarness.run(
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=empty-stream-token",
                "--now=" + NOW,
                "--output=" + output,
                "--format=" + format,
                "--streams=stories,story_insights");
        assertEquals(0, run.exitCode(), run.err());
        for (String stream : List.of("stories", "story_insights")) {
          List<Path> files = files(output.resolve(stream));
          assertEquals(1, files.size(), format + " " + stream);
          if (format.equals("jsonl")) {
            assertEquals(0, Files.size(files.get(0)));
          } else {
            try (ParquetReader<GenericRecord> reader =
                AvroParquetReader.<GenericRecord>builder(new LocalInputFile(files.get(0)))
                    .build()) {
              assertNull(reader.read(), "a valid Parquet file without rows");
            }
          }
        }
      }
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }
}
