package io.instabeam.pipeline;

import io.instabeam.emulator.GraphApiEmulator;
import io.instabeam.graph.AccessToken;
import io.instabeam.graph.GraphApiException;
import io.instabeam.pipeline.sink.FileFormat;
import io.instabeam.pipeline.sink.FilesSink;
import io.instabeam.pipeline.sink.RecordSink;
import io.instabeam.pipeline.state.StateFile;
import io.instabeam.pipeline.state.StateLock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The job's entry point: parse and validate the options, build the pipeline, run it, print the run summary. Exit
 * status 0 on success; 2 for bad configuration; 1 for a failed run, with one clear line on stderr.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_CONFIG = 2;

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  Main(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.getenv(), System.out, System.err).run(args));
  }

  int run(String[] args) {
    if (args.length > 0 && args[0].equals("discover")) {
      out.println(Arrays.asList(args).contains("--erd") ? Discover.erd() : Discover.catalog());
      return OK;
    }
    if (args.length > 0 && args[0].equals("check")) {
      return check(Arrays.copyOfRange(args, 1, args.length));
    }
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.register(InstabeamOptions.class);
      PipelineOptionsFactory.printHelp(out, InstabeamOptions.class);
      return OK;
    }
    AccessToken token = null;
    Instant started = Instant.now();
    String output = null;
    InstabeamOptions options;
    PipelineResult result;
    try {
      PipelineOptionsFactory.register(InstabeamOptions.class);
      options = PipelineOptionsFactory.fromArgs(args).withValidation().as(InstabeamOptions.class);
    } catch (IllegalArgumentException e) {
      err.println("instabeam: " + e.getMessage() + " (see --help)");
      return BAD_CONFIG;
    }
    try (GraphApiEmulator demo = options.getDemo() ? Demo.start(options) : null) {
      token = options.getDemo() ? AccessToken.of(Demo.TOKEN) : JobConfig.resolveToken(options, env);
      options.setAccessToken(null); // the token travels in the job's config only, never in the options
      JobConfig job = JobConfig.from(options, token);
      String runId = runId(job);
      RecordSink sink = sink(job, runId);
      output = sink.describe();
      try (StateLock lock = job.statePath() == null ? null : StateLock.acquire(job.statePath(), runId, Instant.now())) {
        StateFile state = StateFile.read(job.statePath());
        out.println("instabeam: reading " + job.streams() + " from " + job.graph().baseUrl() + " into " + output
            + (job.statePath() == null ? "" : ", state " + job.statePath()));
        Pipeline pipeline = Pipeline.create(options);
        InstabeamPipeline.build(pipeline, job, sink, state, runId);
        result = pipeline.run();
        PipelineResult.State finalState = result.waitUntilFinish();
        if (finalState != PipelineResult.State.DONE) {
          throw new IllegalStateException("the pipeline ended in state " + finalState + "; see the runner's logs");
        }
      }
      RunSummary summary = RunSummary.of(result, Duration.between(started, Instant.now()), output);
      out.print(summary.text());
      if (summary.counter(io.instabeam.transforms.Accounts.DISCOVERED_COUNTER) == 0) {
        out.println("instabeam: WARNING no Instagram business account is reachable with this token: link an Instagram "
            + "professional account to a Facebook page the token can manage, or check --accounts.");
      }
      writeSummary(job.summaryFile(), summary);
      return OK;
    } catch (ConfigException e) {
      err.println("instabeam: " + redact(token, e.getMessage()));
      return BAD_CONFIG;
    } catch (RuntimeException e) {
      String message = redact(token, failureMessage(e));
      err.println("instabeam: run failed: " + message);
      try {
        writeSummary(options.getSummaryFile(), RunSummary.failed(Duration.between(started, Instant.now()), output, message));
      } catch (RuntimeException ignored) {
        // the failure line above is what matters
      }
      return FAILED;
    }
  }

  /** {@code check}: the token, its permissions and the accounts it reaches; 0 when it can run the job. */
  private int check(String[] args) {
    AccessToken token = null;
    try {
      PipelineOptionsFactory.register(InstabeamOptions.class);
      InstabeamOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().as(InstabeamOptions.class);
      try (GraphApiEmulator demo = options.getDemo() ? Demo.start(options) : null) {
        token = options.getDemo() ? AccessToken.of(Demo.TOKEN) : JobConfig.resolveToken(options, env);
        options.setAccessToken(null);
        JobConfig job = JobConfig.from(options, token);
        return Check.run(job.graph(), job.now(), out) ? OK : FAILED;
      }
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("instabeam: " + redact(token, e.getMessage()));
      return BAD_CONFIG;
    } catch (RuntimeException e) {
      err.println("instabeam: check failed: " + redact(token, failureMessage(e)));
      return FAILED;
    }
  }

  /** A name unique to this run, sortable by time: prefixes its files and names its temporary state. */
  static String runId(JobConfig job) {
    return "run-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(job.now().atOffset(ZoneOffset.UTC))
        + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  static RecordSink sink(JobConfig job, String runId) {
    if (job.sink().equals("files")) {
      return new FilesSink(job.output(), FileFormat.fromOption(job.format()), runId);
    }
    throw new ConfigException("--sink=" + job.sink() + " is not available in this build");
  }

  /** The operator's message: the Graph API or config error if there is one in the chain, else the root cause. */
  static String failureMessage(Throwable failure) {
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof GraphApiException || t instanceof ConfigException) {
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
    try (OutputStream stream = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.TEXT))) {
      stream.write(summary.json().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      err.println("instabeam: could not write --summaryFile=" + path + ": " + e.getMessage());
    }
  }
}
