package io.instabeam.pipeline;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiException;
import io.instabeam.graph.HttpWireLog;
import io.instabeam.pipeline.lock.RunLock;
import io.instabeam.pipeline.sink.PublishRefusedException;
import io.instabeam.pipeline.sink.RecordSink;
import io.instabeam.pipeline.state.StateFile;
import io.instabeam.transforms.Accounts;
import io.instabeam.transforms.Login;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The job's entry point: {@code instabeam [--options]} runs the job; {@code instabeam check} checks
 * the token; {@code instabeam refresh-token} refreshes an Instagram-Login token in its file; {@code
 * instabeam discover [--erd] [--login=instagram]} prints the stream catalog. Exit status 0 on
 * success, 2 for bad configuration (nothing was done), 1 for a failed run (nothing was published),
 * each with one clear line on stderr.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_CONFIG = 2;
  private static final String TOKEN_OPTION = "--accessToken=";
  static final String CHECK = "check";
  static final String REFRESH_TOKEN = "refresh-token";

  /** The commands that take the job's options (discover takes none). */
  private static final List<String> COMMANDS = List.of(CHECK, REFRESH_TOKEN);

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  Main(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int status;
    try {
      status = new Main(System.getenv(), System.out, System.err).run(args);
    } catch (Throwable fatal) {
      // An Error (out of memory, a missing class): the JVM may be unusable, and the runner's
      // non-daemon threads
      // could keep it alive, holding the locks. Give the locks back and end the process now.
      RunLock.releaseAll();
      System.err.println(
          "instabeam: run failed: "
              + fatal.getClass().getSimpleName()
              + ": "
              + HttpWireLog.redact(
                  fatal.getMessage())); // masks every token the run's clients were given
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(FAILED);
      return;
    }
    System.exit(
        status); // also when runner threads linger; a shutdown hook releases any lock still held
  }

  int run(String[] args) {
    HttpWireLog
        .install(); // before any HTTP client (Graph API, Secret Manager, Cloud Storage) can log a
    // secret
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help")) {
      Help.print(out);
      return OK;
    }
    if (!arguments.isEmpty() && arguments.get(0).equals("discover")) {
      try {
        Login login = Discover.login(arguments);
        out.println(arguments.contains("--erd") ? Discover.erd() : Discover.catalog(login));
        return OK;
      } catch (ConfigException e) {
        err.println("instabeam: " + e.getMessage());
        return BAD_CONFIG;
      }
    }
    String command =
        !arguments.isEmpty() && COMMANDS.contains(arguments.get(0)) ? arguments.get(0) : null;
    Instant started = Instant.now();
    AccessToken token = null;
    InstabeamOptions options = null;
    try {
      String[] optionArgs = command != null ? Arrays.copyOfRange(args, 1, args.length) : args;
      options = parse(optionArgs);
      try (GraphApiEmulator demo = options.getDemo() ? Demo.start(options) : null) {
        token =
            options.getDemo()
                ? Demo.token(options)
                : JobConfig.resolveToken(tokenArgument(optionArgs), options, env);
        JobConfig job = JobConfig.from(options, token);
        if (CHECK.equals(command)) {
          return Check.run(job, out) ? OK : FAILED;
        }
        if (REFRESH_TOKEN.equals(command)) {
          TokenRefresh.run(job, options.getAccessTokenFile(), out);
          return OK;
        }
        job.unservedStreams()
            .forEach(
                stream ->
                    out.println(
                        "instabeam: stream "
                            + stream.name()
                            + " is not "
                            + "served with "
                            + job.login().title()
                            + "; it is left out of this run"));
        RunSummary summary = runJob(options, job, started);
        out.print(summary.text());
        if (summary.counter(Accounts.DISCOVERED_COUNTER) == 0) {
          out.println(
              "instabeam: WARNING no Instagram business account is reachable with this token: link an "
                  + "Instagram professional account to a Facebook page the token can manage, or check --accounts.");
        }
        long pagesWithoutInstagram = summary.counter(Accounts.PAGES_WITHOUT_INSTAGRAM_COUNTER);
        if (pagesWithoutInstagram > 0) {
          out.println(
              "instabeam: WARNING " + Accounts.pagesWithoutInstagramWarning(pagesWithoutInstagram));
        }
        writeSummary(job.summaryFile(), summary);
        return OK;
      }
    } catch (ConfigException e) {
      err.println("instabeam: " + redact(token, e.getMessage()));
      return BAD_CONFIG;
    } catch (RuntimeException e) {
      String message = redact(token, failureMessage(e));
      err.println("instabeam: " + (command != null ? command : "run") + " failed: " + message);
      if (options != null && command == null) {
        writeSummary(
            options.getSummaryFile(),
            RunSummary.failed(Duration.between(started, Instant.now()), message));
      }
      return FAILED;
    }
  }

  /**
   * Parses the options, leaving {@code --accessToken} out: the token is read from the arguments
   * directly, so it is never part of the options that runners serialize, log and show in their UIs.
   */
  public static InstabeamOptions parse(String[] args) {
    if (Arrays.asList(args).contains("--accessToken")) {
      // "--accessToken TOKEN": Beam would reject the token as a stray argument and quote it in its
      // message.
      throw new ConfigException(
          "--accessToken needs its value after '=' (--accessToken=TOKEN); or use "
              + "--accessTokenFile, --accessTokenSecret or INSTAGRAM_ACCESS_TOKEN");
    }
    String[] withoutToken =
        Arrays.stream(args).filter(a -> !a.startsWith(TOKEN_OPTION)).toArray(String[]::new);
    OptionsRegistry.registerFor(withoutToken);
    try {
      InstabeamOptions options =
          PipelineOptionsFactory.fromArgs(withoutToken).withValidation().as(InstabeamOptions.class);
      // The DirectRunner's model checks encode and compare every element and walk the whole graph
      // for every bundle:
      // they find bugs in transforms (the tests keep them), and cost a scheduled job most of its
      // CPU. Off unless asked.
      DirectOptions direct = options.as(DirectOptions.class);
      unlessGiven(args, "enforceImmutability", () -> direct.setEnforceImmutability(false));
      unlessGiven(args, "enforceEncodability", () -> direct.setEnforceEncodability(false));
      // Flink copies every element between chained steps unless told not to; the job's steps never
      // change their
      // input (the DirectRunner's immutability check in the tests proves it), so the copies are
      // pure cost.
      if (options.getRunner() == FlinkRunner.class) {
        unlessGiven(
            args, "fasterCopy", () -> options.as(FlinkPipelineOptions.class).setFasterCopy(true));
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          e.getMessage().lines().findFirst().orElse("bad options") + " (see --help)");
    }
  }

  /** Applies a default of the job's own to a runner option, unless the arguments give it. */
  private static void unlessGiven(String[] args, String option, Runnable setDefault) {
    if (!OptionsRegistry.given(args).contains(option)) {
      setDefault.run();
    }
  }

  static String tokenArgument(String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith(TOKEN_OPTION))
        .map(a -> a.substring(TOKEN_OPTION.length()))
        .reduce((first, last) -> last)
        .orElse(null);
  }

  /**
   * Runs the job: takes the output and state locks (in that order), reads the state, builds and
   * runs the pipeline, reports progress.
   */
  private RunSummary runJob(InstabeamOptions options, JobConfig job, Instant started) {
    FileSystems.setDefaultPipelineOptions(
        options); // gs:// paths are used before the pipeline exists
    String runId = runId(job);
    if (job.sink().folder() != null) {
      requireWritable(job.sink().folder(), runId);
    }
    RecordSink sink = job.sink().open(runId);
    requireWritableSummary(job.summaryFile(), runId);
    try (RunLock outputLock =
            lock(
                RunLock.Guarded.OUTPUT,
                job.sink().folder(),
                runId,
                options,
                sink::removeLeftovers);
        RunLock stateLock =
            lock(
                RunLock.Guarded.STATE,
                job.statePath(),
                runId,
                options,
                () -> StateFile.removeLeftovers(job.statePath()))) {
      StateFile state =
          StateFile.read(job.statePath()).requireCursorsNotAfter(job.now(), job.statePath());
      out.println(
          "instabeam: reading "
              + job.streams()
              + " from "
              + job.graph().baseUrl()
              + " ("
              + job.login().title()
              + ") into "
              + sink.describe()
              + (job.statePath() == null ? "" : ", state " + job.statePath())
              + "; Graph API "
              + job.graph().apiVersion()
              + ", metric set "
              + job.metricSet());
      options
          .as(DirectOptions.class)
          .setBlockOnRun(false); // so progress can be reported while it runs
      EmbeddedFlink.configure(options);
      Pipeline pipeline = Pipeline.create(options);
      InstabeamPipeline.build(pipeline, job, sink, state, runId);
      PipelineResult result = pipeline.run();
      PipelineResult.State end;
      try (Progress progress =
          Progress.every(Duration.ofSeconds(options.getProgressSeconds()), result, started, out)) {
        end = result.waitUntilFinish();
      }
      if (end != PipelineResult.State.DONE) {
        throw new IllegalStateException(
            "the pipeline ended in state " + end + "; see the runner's logs");
      }
      return RunSummary.of(result, Duration.between(started, Instant.now()), sink.describe());
    }
  }

  /**
   * Takes the lock on {@code path} (none if null), saying so in one line if it was taken over from
   * a run that died, and then removes what runs that died left unpublished there (staging, a
   * temporary state file).
   */
  private RunLock lock(
      RunLock.Guarded guarded,
      String path,
      String runId,
      InstabeamOptions options,
      Leftovers leftovers) {
    if (path == null) {
      return null;
    }
    RunLock lock = RunLock.acquire(guarded, path, runId, options);
    lock.takeover().ifPresent(takeover -> out.println("instabeam: " + takeover.notice()));
    try {
      leftovers.remove();
    } catch (IOException | RuntimeException e) {
      out.println(
          "instabeam: could not remove what earlier runs left unpublished beside "
              + path
              + " ("
              + e.getMessage()
              + "); nothing reads it, and it can be deleted");
    }
    return lock;
  }

  /** Removes what runs that died left beside a locked path. */
  private interface Leftovers {
    void remove() throws IOException;
  }

  /**
   * A name unique to this run, sortable by time: prefixes its files and names its temporary state.
   */
  static String runId(JobConfig job) {
    return "run-"
        + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .format(job.now().atOffset(ZoneOffset.UTC))
        + "-"
        + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  /**
   * Fails before any work when the output cannot be written: a probe file is created and deleted.
   */
  static void requireWritable(String output, String runId) {
    requireWritable(
        "output",
        output,
        FileSystems.matchNewResource(output, true),
        runId,
        "give a folder (or gs:// prefix) this job can create files in");
  }

  /**
   * Fails before any work when {@code --summaryFile} could not be written at the end (a run that
   * succeeded but leaves the scheduler without its summary is a run the scheduler cannot judge).
   */
  static void requireWritableSummary(String summaryFile, String runId) {
    if (summaryFile == null || summaryFile.isBlank()) {
      return;
    }
    String fix = "give a file path (local or gs://) in a folder this job can write";
    ResourceId file = FileSystems.matchNewResource(summaryFile, false);
    if (file.getScheme().equals("file")) {
      Path path = Path.of(file.toString());
      if (Files.isDirectory(path) || (Files.exists(path) && !Files.isWritable(path))) {
        throw ConfigException.of(
            "summaryFile", summaryFile, "it is a folder or a read-only file; " + fix);
      }
    }
    requireWritable("summaryFile", summaryFile, file.getCurrentDirectory(), runId, fix);
  }

  private static void requireWritable(
      String option, String value, ResourceId folder, String runId, String fix) {
    try {
      ResourceId probe =
          folder.resolve(".instabeam-write-check-" + runId, StandardResolveOptions.RESOLVE_FILE);
      FileSystems.create(probe, MimeTypes.TEXT).close();
      FileSystems.delete(List.of(probe), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      throw ConfigException.of(
          option,
          value,
          "it cannot be written ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); "
              + fix);
    }
  }

  /**
   * The operator's message: the Graph API or config error if there is one in the chain, else the
   * root cause.
   */
  static String failureMessage(Throwable failure) {
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof GraphApiException
          || t instanceof ConfigException
          || t instanceof PublishRefusedException) {
        return t.getMessage();
      }
      root = t;
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String redact(AccessToken token, String message) {
    return token == null ? message : token.redact(message);
  }

  private void writeSummary(String path, RunSummary summary) {
    if (path == null || path.isBlank()) {
      return;
    }
    try (OutputStream stream =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.TEXT))) {
      stream.write(summary.json().getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      err.println("instabeam: could not write --summaryFile=" + path + ": " + e.getMessage());
    }
  }
}
