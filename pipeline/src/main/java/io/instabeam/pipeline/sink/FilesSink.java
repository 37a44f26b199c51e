package io.instabeam.pipeline.sink;

import io.instabeam.schemas.StreamDefinition;
import io.instabeam.schemas.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files sink: stream S goes to {@code OUTPUT/S/} as JSONL (or Parquet) files, on local disk or
 * Cloud Storage. Every stream is first written to a staging folder of the run ({@code
 * OUTPUT/.staging/RUN/S/}); only when all streams are complete does one step publish them:
 * overwrite moves the new files in and then deletes the old ones, append moves the new files in
 * beside the old ones. A failed run publishes nothing.
 *
 * <p>JSONL is written as the records arrive, a part file per bundle ({@code
 * OUTPUT/.staging/RUN/parts/S/}), and publishing joins a stream's parts into files of about {@link
 * #RECORDS_PER_FILE} records: the write needs no shuffle and no count, so it keeps pace with the
 * read. A Parquet file cannot be joined without decoding it again, so a stream's Parquet files are
 * written once the stream is complete, one per {@link #RECORDS_PER_FILE} records.
 */
public final class FilesSink implements RecordSink {
  private static final Logger LOG = LoggerFactory.getLogger(FilesSink.class);

  /**
   * Records per published file: one file for a small stream, more as it grows, never a file per
   * bundle.
   */
  static final long RECORDS_PER_FILE = 200_000;

  /**
   * The element that starts publishing even when no stream wrote a file: it names no stream and no
   * file.
   */
  static final KV<String, String> START = KV.of("", "");

  /**
   * Left in a stream's parts folder once its parts are joined, so a retried publish does not join
   * them again.
   */
  static final String JOINED_MARK = "_JOINED";

  private final String output;
  private final FileFormat format;
  private final String runId;
  private final boolean allowEmpty;

  public FilesSink(String output, FileFormat format, String runId) {
    this(output, format, runId, false);
  }

  private FilesSink(String output, FileFormat format, String runId, boolean allowEmpty) {
    this.output = output.endsWith("/") ? output.substring(0, output.length() - 1) : output;
    this.format = format;
    this.runId = runId;
    this.allowEmpty = allowEmpty;
  }

  /**
   * A sink that replaces a stream's published records with none when a run reads none. By default
   * it refuses to: a stream that held records and now comes back empty (the token lost its pages,
   * say) fails the run, and nothing is published, unless empty reads are normal for the stream
   * (stories).
   */
  public FilesSink allowingEmptyStreams(boolean allow) {
    return new FilesSink(output, format, runId, allow);
  }

  @Override
  public String describe() {
    return output + " (" + format.suffix().substring(1) + ")";
  }

  /**
   * Removes {@code OUTPUT/.staging/} whole: what runs that died left there, never published, never
   * read.
   */
  @Override
  public void removeLeftovers() throws IOException {
    int files = Publish.removeFolder(output + "/.staging");
    if (files > 0) {
      LOG.info(
          "Removed {} file(s) that runs which died left unpublished in {}/.staging/",
          files,
          output);
    }
  }

  @Override
  public PCollection<?> write(List<StreamOutput> outputs) {
    Pipeline pipeline = outputs.get(0).records().getPipeline();
    PCollectionList<KV<String, String>> written =
        PCollectionList.of(
            pipeline.apply(
                "Start publishing",
                Create.of(START)
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))));
    List<Publication> publications = new ArrayList<>();
    for (StreamOutput out : outputs) {
      String name = out.stream().name();
      PCollection<String> records =
          out.syncMode() == SyncMode.INCREMENTAL_APPEND_DEDUPED
              ? out.records()
                  .apply(
                      "Merge " + name + " with the records already published",
                      new DedupeByPrimaryKey(
                          out.stream(), format.existingRecords(pipeline, streamDir(name))))
              : out.records();
      boolean joined = format.joinsByConcatenation();
      written =
          written.and(
              joined
                  ? records.apply(
                      "Write " + name + " to staging",
                      ParDo.of(new WriteParts(out.stream(), format, partsDir(name), runId)))
                  : records
                      .apply(
                          "Write " + name + " to staging",
                          FileIO.<String>write()
                              .via(format.sink(out.stream()))
                              .withPrefix(runId)
                              .withSuffix(format.suffix())
                              .to(stagingDir(name))
                              .withSharding(new ShardsByCount(RECORDS_PER_FILE)))
                      .getPerDestinationOutputFilenames()
                      .apply(
                          "Name " + name + "'s files",
                          MapElements.into(
                                  TypeDescriptors.kvs(
                                      TypeDescriptors.strings(), TypeDescriptors.strings()))
                              .via(file -> KV.of(name, file.getValue()))));
      boolean replace =
          out.syncMode() == SyncMode.FULL_REFRESH_OVERWRITE
              || out.syncMode() == SyncMode.INCREMENTAL_APPEND_DEDUPED;
      publications.add(
          new Publication(
              out.stream(),
              stagingDir(name),
              streamDir(name),
              replace,
              format,
              runId,
              joined ? partsDir(name) : null,
              replace && !allowEmpty && !out.stream().emptyIsNormal()));
    }
    // One group of every stream's files (and the start element, so that it exists when no stream
    // wrote any): it
    // is complete only once every write is, and it names the parts of the bundles that succeeded.
    return written
        .apply("Every stream's files", Flatten.pCollections())
        .apply("Once every stream is written", WithKeys.of((Void) null))
        .setCoder(
            KvCoder.of(VoidCoder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("All files", GroupByKey.create())
        .apply("Publish the staged files", ParDo.of(new Publish(publications, runStaging(runId))));
  }

  /**
   * Writes a stream's records as they come, one part file per bundle ({@code
   * PARTS/RUN-UUID.jsonl}), and names each part once its bundle is done: a bundle that failed and
   * was retried leaves a part nobody names, which publishing ignores (and the staging folder's
   * removal deletes).
   */
  static final class WriteParts extends DoFn<String, KV<String, String>> {
    private final StreamDefinition stream;
    private final FileFormat format;
    private final String partsDir;
    private final String runId;
    private transient FileIO.Sink<String> sink;
    private transient WritableByteChannel channel;
    private transient ResourceId part;

    WriteParts(StreamDefinition stream, FileFormat format, String partsDir, String runId) {
      this.stream = stream;
      this.format = format;
      this.partsDir = partsDir;
      this.runId = runId;
    }

    @ProcessElement
    public void process(@Element String record) throws IOException {
      if (channel == null) {
        part =
            FileSystems.matchNewResource(partsDir, true)
                .resolve(
                    runId + "-" + UUID.randomUUID() + format.suffix(),
                    StandardResolveOptions.RESOLVE_FILE);
        channel = FileSystems.create(part, MimeTypes.TEXT);
        sink = format.sink(stream);
        sink.open(channel);
      }
      sink.write(record);
    }

    @FinishBundle
    public void finish(FinishBundleContext context) throws IOException {
      if (channel != null) {
        sink.flush();
        channel.close();
        channel = null;
        context.output(
            KV.of(stream.name(), part.toString()),
            GlobalWindow.INSTANCE.maxTimestamp(),
            GlobalWindow.INSTANCE);
      }
    }

    @Teardown
    public void closeUnfinished() throws IOException {
      if (channel != null) { // the bundle failed: its part stays unnamed
        channel.close();
        channel = null;
      }
    }
  }

  /** Where a run stages its files until it publishes them. */
  private String runStaging(String run) {
    return output + "/.staging/" + run;
  }

  private String stagingDir(String stream) {
    return runStaging(runId) + "/" + stream + "/";
  }

  private String partsDir(String stream) {
    return runStaging(runId) + "/parts/" + stream + "/";
  }

  private String streamDir(String stream) {
    return output + "/" + stream + "/";
  }

  /** The number of files of a stream: one per {@code recordsPerFile} records, at least one. */
  static final class ShardsByCount
      extends PTransform<PCollection<String>, PCollectionView<Integer>> {
    private final long recordsPerFile;

    ShardsByCount(long recordsPerFile) {
      this.recordsPerFile = recordsPerFile;
    }

    @Override
    public PCollectionView<Integer> expand(PCollection<String> records) {
      return records
          .apply("Count records", Count.globally())
          .apply(
              "Files for that many records",
              MapElements.into(TypeDescriptors.integers())
                  .via(count -> (int) Math.max(1, (count + recordsPerFile - 1) / recordsPerFile)))
          .apply("As the shard count", View.asSingleton());
    }
  }

  /**
   * What publishing one stream means: where its staged files are, where they go, whether they
   * replace the old ones, where the part files to join first are (null when the files are staged
   * whole), and whether replacing published records with none is refused.
   */
  record Publication(
      StreamDefinition stream,
      String stagingDir,
      String streamDir,
      boolean replace,
      FileFormat format,
      String runId,
      String partsDir,
      boolean refuseEmpty)
      implements java.io.Serializable {
    String suffix() {
      return format.suffix();
    }

    FileIO.Sink<String> sink() {
      return format.sink(stream);
    }

    String emptyFileName() {
      return runId + "-00000-of-00001" + suffix();
    }

    String joinedFileName(int index) {
      return String.format("%s-%05d%s", runId, index, suffix());
    }
  }

  static final class Publish extends DoFn<KV<Void, Iterable<KV<String, String>>>, String> {
    private final List<Publication> publications;
    private final String runStaging;

    Publish(List<Publication> publications, String runStaging) {
      this.publications = publications;
      this.runStaging = runStaging;
    }

    @ProcessElement
    public void process(
        @Element KV<Void, Iterable<KV<String, String>>> files, OutputReceiver<String> out)
        throws IOException {
      Map<String, List<ResourceId>> parts = new HashMap<>();
      for (KV<String, String> file : files.getValue()) {
        if (!file.equals(START)) {
          parts
              .computeIfAbsent(file.getKey(), stream -> new ArrayList<>())
              .add(FileSystems.matchNewResource(file.getValue(), false));
        }
      }
      refuseEmptyReplacements(publications, parts);
      for (Publication publication : publications) {
        publish(publication, parts.getOrDefault(publication.stream().name(), List.of()));
        out.output(publication.stream().name());
      }
      removeFolder(runStaging);
      removeLocalFolderIfEmpty(
          runStaging.substring(0, runStaging.lastIndexOf('/'))); // .staging, once unused
    }

    /**
     * Before anything moves: fails when a stream that replaces its published records would replace
     * records with none (see {@link #allowingEmptyStreams}). All streams or none: refusing one
     * after publishing others would leave the output half old, half new.
     */
    static void refuseEmptyReplacements(
        List<Publication> publications, Map<String, List<ResourceId>> parts) throws IOException {
      List<String> refused = new ArrayList<>();
      for (Publication publication : publications) {
        if (publication.refuseEmpty()) {
          if (publication.partsDir() != null) {
            joinParts(publication, parts.getOrDefault(publication.stream().name(), List.of()));
          }
          // This run's records: staged, or already moved by an earlier attempt of this publish (a
          // retry).
          List<MatchResult.Metadata> published =
              metadata(publication.streamDir() + "*" + publication.suffix());
          List<MatchResult.Metadata> ours =
              new ArrayList<>(metadata(publication.stagingDir() + "*"));
          published.stream().filter(f -> ofRun(f, publication)).forEach(ours::add);
          if (!holdsRecords(publication, ours)
              && holdsRecords(
                  publication, published.stream().filter(f -> !ofRun(f, publication)).toList())) {
            refused.add(publication.stream().name());
          }
        }
      }
      if (!refused.isEmpty()) {
        throw new PublishRefusedException(
            "this run read no records for "
                + String.join(", ", refused)
                + ", which held records after the last run: the token may have lost access to its pages or accounts "
                + "(check with `instabeam check`). Nothing was published and the state did not move; if the streams are "
                + "empty on purpose, run again with --allowEmpty");
      }
    }

    private static boolean holdsRecords(Publication publication, List<MatchResult.Metadata> files)
        throws IOException {
      for (MatchResult.Metadata file : files) {
        if (publication.format().holdsRecords(file)) {
          return true;
        }
      }
      return false;
    }

    private static boolean ofRun(MatchResult.Metadata file, Publication publication) {
      return file.resourceId().getFilename().startsWith(publication.runId());
    }

    /** Deletes a folder with all it holds; returns the number of files deleted. */
    static int removeFolder(String folder) throws IOException {
      List<ResourceId> files = match(folder + "/**");
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      // Object stores have no folders; a local disk keeps empty ones, which would pile up run after
      // run.
      Path local = localFolder(folder);
      if (local != null) {
        try (Stream<Path> tree = Files.walk(local)) {
          for (Path dir : tree.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(dir);
          }
        }
      }
      return files.size();
    }

    private static void removeLocalFolderIfEmpty(String folder) throws IOException {
      Path local = localFolder(folder);
      if (local != null) {
        try (Stream<Path> left = Files.list(local)) {
          if (left.findAny().isEmpty()) {
            Files.deleteIfExists(local);
          }
        }
      }
    }

    /** The folder on the local disk, or null if it is not local or not there. */
    private static Path localFolder(String folder) {
      ResourceId resource = FileSystems.matchNewResource(folder, true);
      if (!resource.getScheme().equals("file")) {
        return null;
      }
      Path path = Paths.get(resource.toString());
      return Files.isDirectory(path) ? path : null;
    }

    /**
     * Publishes a stream: joins its parts (JSONL), then moves its staged files in and the old ones
     * out.
     */
    static void publish(Publication publication, List<ResourceId> parts) throws IOException {
      if (publication.partsDir() != null) {
        joinParts(publication, parts);
      }
      List<ResourceId> staged = match(publication.stagingDir() + "*");
      if (staged.isEmpty()
          && match(publication.streamDir() + publication.runId() + "*").isEmpty()) {
        staged = List.of(emptyFile(publication));
      }
      List<ResourceId> old =
          publication.replace() ? match(publication.streamDir() + "*") : List.of();
      ResourceId target = FileSystems.matchNewResource(publication.streamDir(), true);
      List<ResourceId> destinations = new ArrayList<>();
      staged.forEach(
          file ->
              destinations.add(
                  target.resolve(file.getFilename(), StandardResolveOptions.RESOLVE_FILE)));
      FileSystems.rename(staged, destinations);
      // New files are in place before old ones go: a crash here duplicates records, it never loses
      // them. A retried
      // publish finds nothing staged for a stream it already moved: this run's files (its run-id
      // prefix) stay.
      List<ResourceId> stale =
          old.stream().filter(r -> !r.getFilename().startsWith(publication.runId())).toList();
      FileSystems.delete(stale, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      LOG.info(
          "Published {}: {} file(s) to {}{}",
          publication.stream().name(),
          staged.size(),
          publication.streamDir(),
          stale.isEmpty() ? "" : ", replacing " + stale.size());
    }

    /**
     * Joins the given part files of a stream, in name order, into staged files of about {@link
     * #RECORDS_PER_FILE} lines each (a file is closed at the first part boundary past that many).
     * Then it marks the join done and deletes the parts. A retried publish that finds no mark joins
     * all parts again, overwriting; one that finds the mark only finishes deleting them, so no
     * record is lost or joined twice.
     */
    static void joinParts(Publication publication, List<ResourceId> parts) throws IOException {
      ResourceId done =
          FileSystems.matchNewResource(publication.partsDir(), true)
              .resolve(JOINED_MARK, StandardResolveOptions.RESOLVE_FILE);
      if (match(done.toString()).isEmpty()) {
        List<ResourceId> inOrder =
            parts.stream().sorted(Comparator.comparing(ResourceId::getFilename)).toList();
        ResourceId staging = FileSystems.matchNewResource(publication.stagingDir(), true);
        int files = 0;
        long lines = 0;
        WritableByteChannel joined = null;
        try {
          for (ResourceId part : inOrder) {
            if (joined == null) {
              joined =
                  FileSystems.create(
                      staging.resolve(
                          publication.joinedFileName(files++), StandardResolveOptions.RESOLVE_FILE),
                      MimeTypes.TEXT);
            }
            lines += copy(part, joined);
            if (lines >= RECORDS_PER_FILE) {
              joined.close();
              joined = null;
              lines = 0;
            }
          }
        } finally {
          if (joined != null) {
            joined.close();
          }
        }
        FileSystems.create(done, MimeTypes.TEXT).close();
        LOG.info(
            "Joined {}: {} part file(s) into {}", publication.stream().name(), parts.size(), files);
      }
      FileSystems.delete(parts, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }

    /** Appends the file to the channel and returns the number of lines it holds. */
    private static long copy(ResourceId file, WritableByteChannel to) throws IOException {
      long lines = 0;
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      try (ReadableByteChannel from = FileSystems.open(file)) {
        while (from.read(buffer) >= 0) {
          buffer.flip();
          for (int i = buffer.position(); i < buffer.limit(); i++) {
            lines += buffer.get(i) == '\n' ? 1 : 0;
          }
          while (buffer.hasRemaining()) {
            to.write(buffer);
          }
          buffer.clear();
        }
      }
      return lines;
    }

    /**
     * A stream without records still gets one file, empty but valid in its format (a Parquet file
     * with a schema and no rows), so readers of {@code OUTPUT/S/} find the stream, and overwrite
     * still replaces the old records.
     */
    private static ResourceId emptyFile(Publication publication) throws IOException {
      ResourceId file =
          FileSystems.matchNewResource(publication.stagingDir(), true)
              .resolve(publication.emptyFileName(), StandardResolveOptions.RESOLVE_FILE);
      try (WritableByteChannel channel = FileSystems.create(file, MimeTypes.BINARY)) {
        FileIO.Sink<String> sink = publication.sink();
        sink.open(channel);
        sink.flush();
      }
      return file;
    }

    static List<ResourceId> match(String pattern) {
      return metadata(pattern).stream().map(MatchResult.Metadata::resourceId).toList();
    }

    static List<MatchResult.Metadata> metadata(String pattern) {
      try {
        return FileSystems.match(pattern, EmptyMatchTreatment.ALLOW).metadata();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + pattern, e);
      }
    }
  }
}
