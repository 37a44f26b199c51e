package io.instabeam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.instabeam.emulator.EmulatorStats;
import io.instabeam.emulator.GraphApiEmulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a user's process costs, end to end: hosts the Graph API emulator in this JVM and runs the
 * user's command (the launcher by default) as a child process against it, the job with its default
 * options, and the operator commands {@code --help}, {@code discover} and {@code check}. For each
 * run it prints the child's time to its first request, the request phase, the time from the last
 * answer to its exit, wall and CPU time, peak RSS, the HTTP requests and Graph calls the emulator
 * served, and the records written; then the median (and minimum) of each.
 *
 * <pre>
 * java -cp pipeline/target/instabeam.jar:benchmarks/target/instabeam-benchmarks.jar \
 *     io.instabeam.bench.OverheadBenchmark [--command=pipeline/target/instabeam] [--sets=small,demo,large] \
 *     [--runs=3] [--latencyMillis=0] [--jobArgs="--runner=FlinkRunner"] [--commands=help,discover,check] \
 *     [--timeoutSeconds=300] [--json=FILE]
 * </pre>
 *
 * Exit status 0 when every child succeeded, 1 when one failed or timed out (its stderr's tail is
 * printed), 2 for bad options. Linux only (see {@link ChildProcess}).
 */
public final class OverheadBenchmark {
  static final String TOKEN = "bench-token";
  static final String DEFAULT_COMMAND = "pipeline/target/instabeam";
  private static final int STDERR_TAIL_LINES = 30;

  private OverheadBenchmark() {}

  /**
   * The data sets of {@code --sets}; apart from their size, generated as the demo's (see {@code
   * Demo}).
   */
  enum DataSet {
    SMALL(2, 5),
    DEMO(3, 300),
    LARGE(10, 1000);

    final int accounts;
    final int media;

    DataSet(int accounts, int media) {
      this.accounts = accounts;
      this.media = media;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    String describe() {
      return accounts + " accounts x " + media + " media";
    }

    GraphApiEmulator start(Duration latency) {
      return GraphApiEmulator.builder()
          .seed(42)
          .accessToken(TOKEN)
          .accounts(accounts)
          .pagesWithoutInstagram(1)
          .mediaPerAccount(media)
          .storiesPerAccount(5)
          .latency(latency)
          .build()
          .start();
    }
  }

  /** The operator commands of {@code --commands}: what each adds to the command line. */
  enum OperatorCommand {
    HELP,
    DISCOVER,
    CHECK;

    String label() {
      return this == HELP ? "--help" : name().toLowerCase(Locale.ROOT);
    }

    List<String> arguments(GraphApiEmulator emulator) {
      return switch (this) {
        case HELP -> List.of("--help");
        case DISCOVER -> List.of("discover");
        case CHECK ->
            List.of(
                "check",
                "--graphApiUrl=" + emulator.baseUrl(),
                "--accessToken=" + TOKEN,
                "--now=" + emulator.clock().now());
      };
    }
  }

  /** The figures of one run, in table order; seconds, MiB or counts. */
  enum Figure {
    START_TO_FIRST_REQUEST("start->1st req s", "start to first request", " s"),
    REQUEST_PHASE("requests s", "request phase", " s"),
    LAST_ANSWER_TO_EXIT("last->exit s", "last answer to exit", " s"),
    WALL("wall s", "wall", " s"),
    CPU("CPU s", "CPU", " s"),
    PEAK_RSS("RSS MiB", "peak RSS", " MiB"),
    HTTP_REQUESTS("HTTP", "HTTP requests", ""),
    GRAPH_CALLS("calls", "Graph calls", ""),
    RECORDS("records", "records", "");

    final String header;
    final String label;
    final String unit;

    Figure(String header, String label, String unit) {
      this.header = header;
      this.label = label;
      this.unit = unit;
    }

    /** The name in the JSON report: {@code wall_s}, {@code peak_rss_mib}, {@code records}. */
    String key() {
      String suffix = unit.trim().toLowerCase(Locale.ROOT);
      return name().toLowerCase(Locale.ROOT) + (suffix.isEmpty() ? "" : "_" + suffix);
    }

    String format(double value) {
      return unit.equals(" s") ? String.format("%.2f", value) : String.format("%.0f", value);
    }
  }

  /** The benchmark's options, {@code --name=value}. */
  record Settings(
      List<String> command,
      List<DataSet> sets,
      List<OperatorCommand> operatorCommands,
      int runs,
      Duration latency,
      List<String> jobArgs,
      Duration timeout,
      Path json) {
    private static final Set<String> KNOWN =
        Set.of(
            "command",
            "sets",
            "commands",
            "runs",
            "latencyMillis",
            "jobArgs",
            "timeoutSeconds",
            "json");

    static Settings parse(String[] args) {
      Map<String, String> a = new LinkedHashMap<>();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--") || eq < 0) {
          throw new IllegalArgumentException("use --name=value, not " + arg);
        }
        String name = arg.substring(2, eq);
        if (!KNOWN.contains(name)) {
          throw new IllegalArgumentException(
              "unknown option --"
                  + name
                  + "; known: --"
                  + String.join(", --", KNOWN.stream().sorted().toList()));
        }
        a.put(name, arg.substring(eq + 1));
      }
      List<String> command = words(a.getOrDefault("command", DEFAULT_COMMAND));
      if (command.isEmpty()) {
        throw new IllegalArgumentException("--command is empty");
      }
      if (command.get(0).contains("/") && !Files.isExecutable(Path.of(command.get(0)))) {
        throw new IllegalArgumentException(
            "--command: "
                + command.get(0)
                + " is not an executable file; build it "
                + "(mvn -B -DskipTests package) or pass --command=\"java -jar pipeline/target/instabeam.jar\"");
      }
      int runs = positive(a, "runs", 3);
      int timeoutSeconds = positive(a, "timeoutSeconds", 300);
      long latencyMillis = Long.parseLong(a.getOrDefault("latencyMillis", "0"));
      if (latencyMillis < 0) {
        throw new IllegalArgumentException("--latencyMillis must be >= 0");
      }
      return new Settings(
          command,
          names(a.getOrDefault("sets", "small,demo,large"), DataSet.class, "sets"),
          names(
              a.getOrDefault("commands", "help,discover,check"), OperatorCommand.class, "commands"),
          runs,
          Duration.ofMillis(latencyMillis),
          words(a.getOrDefault("jobArgs", "")),
          Duration.ofSeconds(timeoutSeconds),
          a.containsKey("json") ? Path.of(a.get("json")) : null);
    }

    private static List<String> words(String text) {
      return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static <E extends Enum<E>> List<E> names(String list, Class<E> type, String option) {
      List<E> values = new ArrayList<>();
      for (String name : list.split(",")) {
        if (name.isBlank() || name.equals("none")) {
          continue;
        }
        String constant = name.trim().replace("--", "").toUpperCase(Locale.ROOT);
        if (Arrays.stream(type.getEnumConstants()).noneMatch(e -> e.name().equals(constant))) {
          throw new IllegalArgumentException(
              "--"
                  + option
                  + ": unknown "
                  + name
                  + "; known: "
                  + Arrays.stream(type.getEnumConstants())
                      .map(e -> e.name().toLowerCase(Locale.ROOT))
                      .collect(Collectors.joining(",")));
        }
        values.add(Enum.valueOf(type, constant));
      }
      return values;
    }

    private static int positive(Map<String, String> a, String name, int fallback) {
      int value = Integer.parseInt(a.getOrDefault(name, Integer.toString(fallback)));
      if (value < 1) {
        throw new IllegalArgumentException("--" + name + " must be >= 1");
      }
      return value;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      System.err.println("overhead benchmark: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path work = Files.createTempDirectory("instabeam-overhead-");
    int status;
    try {
      status = run(settings, work, System.out, System.err);
    } catch (IOException e) { // the command cannot be started
      System.err.println("overhead benchmark: " + e.getMessage());
      deleteTree(work);
      System.exit(1);
      return;
    }
    if (status == 0) {
      deleteTree(work); // a failed child's logs are kept, and named
    }
    System.exit(status);
  }

  /**
   * Runs every child {@code runs} times, prints each run and the summary; 0 if all succeeded, else
   * 1. The children's logs and output go to {@code work}.
   */
  static int run(Settings s, Path work, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    out.printf(
        "instabeam overhead benchmark: %s; %d run(s); %d ms latency per answer; %d cores, load average %s%n",
        String.join(" ", s.command()),
        s.runs(),
        s.latency().toMillis(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    out.println(
        "data sets (seed 42, 5 stories per account, 1 page without Instagram): "
            + s.sets().stream()
                .map(set -> set.label() + " = " + set.describe())
                .collect(Collectors.joining(", ")));
    Map<String, List<Map<Figure, Double>>> rows = new LinkedHashMap<>();
    try (Emulators emulators = new Emulators(s.latency())) {
      for (int run = 1; run <= s.runs(); run++) {
        for (OperatorCommand command : s.operatorCommands()) {
          List<String> line =
              concat(s.command(), command.arguments(emulators.get(DataSet.SMALL)), List.of());
          ChildProcess.Measurement m =
              ChildProcess.run(line, work, command.name() + "-" + run, s.timeout());
          if (m.failed()) {
            return failed(command.label(), run, m, work, err);
          }
          addRun(rows, command.label(), processFigures(m), out, run, s.runs(), m);
        }
        for (DataSet set : s.sets()) {
          GraphApiEmulator emulator = emulators.get(set);
          emulator.reset(); // counters and rate windows: each run starts as the first did
          Path output = Files.createDirectory(work.resolve(set.label() + "-" + run + "-output"));
          List<String> line =
              concat(
                  s.command(),
                  List.of(
                      "--graphApiUrl=" + emulator.baseUrl(),
                      "--accessToken=" + TOKEN,
                      "--output=" + output,
                      "--now=" + emulator.clock().now()),
                  s.jobArgs());
          ChildProcess.Measurement m =
              ChildProcess.run(line, work, set.label() + "-" + run, s.timeout());
          if (m.failed()) {
            return failed(set.label(), run, m, work, err);
          }
          addRun(
              rows,
              set.label(),
              jobFigures(m, emulator.stats(), countRecords(output)),
              out,
              run,
              s.runs(),
              m);
          deleteTree(output);
        }
      }
    }
    out.println();
    printTable(out, "median of " + s.runs() + " run(s)", rows, OverheadBenchmark::median);
    if (s.runs() > 1) {
      printTable(out, "minimum of " + s.runs() + " runs", rows, OverheadBenchmark::min);
    }
    out.println(
        "start->1st req: spawn to the emulator's first request; requests: first request to the end of the "
            + "last answer;");
    out.println(
        "last->exit: from there to the child's exit; CPU: user + system time of the child; RSS: its peak "
            + "(VmHWM);");
    out.println(
        "HTTP, calls: requests and Graph calls the emulator served; records: lines of the JSONL files "
            + "written");
    if (s.json() != null) {
      writeJson(s, rows);
      out.println("figures of every run written to " + s.json());
    }
    return 0;
  }

  private static int failed(
      String name, int run, ChildProcess.Measurement m, Path work, PrintStream err) {
    err.printf(
        "overhead benchmark: %s, run %d: %s; the last lines of its stderr (%s):%n%s%n",
        name,
        run,
        m.timedOut()
            ? "timed out after " + m.wall().toSeconds() + " s, killed"
            : "exit status " + m.exitStatus(),
        m.stderr(),
        m.stderrTail(STDERR_TAIL_LINES));
    err.println("overhead benchmark: its output and logs are kept in " + work);
    return 1;
  }

  /** Wall, CPU and peak RSS: what any child costs. */
  static Map<Figure, Double> processFigures(ChildProcess.Measurement m) {
    Map<Figure, Double> figures = new EnumMap<>(Figure.class);
    figures.put(Figure.WALL, seconds(m.wall()));
    figures.put(Figure.CPU, seconds(m.cpu()));
    figures.put(Figure.PEAK_RSS, m.peakRssBytes() / (1024.0 * 1024.0));
    return figures;
  }

  /**
   * A job's figures: its time line split at the emulator's first request and last answer (the
   * emulator's wall-clock instants, this JVM's clock), what the emulator served, and the records
   * written.
   */
  static Map<Figure, Double> jobFigures(
      ChildProcess.Measurement m, EmulatorStats stats, long records) {
    Map<Figure, Double> figures = processFigures(m);
    EmulatorStats.Concurrency requests = stats.concurrency();
    if (requests.firstRequestAt() != null) {
      double toFirst = seconds(Duration.between(m.spawnedAt(), requests.firstRequestAt()));
      double phase = requests.spanMillis() / 1000.0;
      figures.put(Figure.START_TO_FIRST_REQUEST, toFirst);
      figures.put(Figure.REQUEST_PHASE, phase);
      figures.put(Figure.LAST_ANSWER_TO_EXIT, seconds(m.wall()) - toFirst - phase);
    }
    figures.put(Figure.HTTP_REQUESTS, (double) stats.httpRequests());
    figures.put(Figure.GRAPH_CALLS, (double) stats.calls());
    figures.put(Figure.RECORDS, (double) records);
    return figures;
  }

  /** The lines of the JSONL files under {@code output}: one record each. */
  static long countRecords(Path output) throws IOException {
    try (Stream<Path> files = Files.walk(output)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".jsonl"))
          .mapToLong(
              p -> {
                try (Stream<String> lines = Files.lines(p)) {
                  return lines.count();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  /** The figure's values over the runs that have it (a job without requests has no time line). */
  private static List<Double> values(List<Map<Figure, Double>> runs, Figure figure) {
    return runs.stream().filter(r -> r.containsKey(figure)).map(r -> r.get(figure)).toList();
  }

  /** Adds a run's figures to its row and prints them. */
  private static void addRun(
      Map<String, List<Map<Figure, Double>>> rows,
      String name,
      Map<Figure, Double> figures,
      PrintStream out,
      int run,
      int runs,
      ChildProcess.Measurement m) {
    rows.computeIfAbsent(name, k -> new ArrayList<>()).add(figures);
    out.printf(
        "run %d/%d %-9s %s, exit %d%n",
        run,
        runs,
        name,
        figures.entrySet().stream()
            .map(e -> e.getKey().label + " " + e.getKey().format(e.getValue()) + e.getKey().unit)
            .collect(Collectors.joining(", ")),
        m.exitStatus());
  }

  private static void printTable(
      PrintStream out,
      String title,
      Map<String, List<Map<Figure, Double>>> rows,
      ToDoubleFunction<List<Double>> summary) {
    out.println(title + ":");
    StringBuilder header = new StringBuilder(String.format("  %-9s", ""));
    for (Figure figure : Figure.values()) {
      header.append(String.format("%" + width(figure) + "s", figure.header));
    }
    out.println(header);
    rows.forEach(
        (name, runs) -> {
          StringBuilder line = new StringBuilder(String.format("  %-9s", name));
          for (Figure figure : Figure.values()) {
            List<Double> values = values(runs, figure);
            line.append(
                String.format(
                    "%" + width(figure) + "s",
                    values.isEmpty() ? "-" : figure.format(summary.applyAsDouble(values))));
          }
          out.println(line);
        });
  }

  private static int width(Figure figure) {
    return Math.max(8, figure.header.length()) + 2;
  }

  private static void writeJson(Settings s, Map<String, List<Map<Figure, Double>>> rows)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    s.command().forEach(root.putArray("command")::add);
    s.jobArgs().forEach(root.putArray("job_args")::add);
    root.put("latency_millis", s.latency().toMillis());
    root.put("runs", s.runs());
    root.put("cores", Runtime.getRuntime().availableProcessors());
    ArrayNode list = root.putArray("rows");
    rows.forEach(
        (name, runs) -> {
          ObjectNode row = list.addObject().put("name", name);
          Arrays.stream(DataSet.values())
              .filter(set -> set.label().equals(name))
              .findFirst()
              .ifPresent(set -> row.put("data_set", set.describe()));
          ArrayNode each = row.putArray("runs");
          runs.forEach(
              figures -> {
                ObjectNode node = each.addObject();
                figures.forEach((figure, value) -> node.put(figure.key(), value));
              });
          ObjectNode median = row.putObject("median");
          ObjectNode min = row.putObject("min");
          for (Figure figure : Figure.values()) {
            List<Double> values = values(runs, figure);
            if (!values.isEmpty()) {
              median.put(figure.key(), median(values));
              min.put(figure.key(), min(values));
            }
          }
        });
    mapper.writeValue(s.json().toFile(), root);
  }

  private static List<String> concat(
      List<String> command, List<String> arguments, List<String> more) {
    return Stream.of(command, arguments, more).flatMap(List::stream).toList();
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static String loadAverage() {
    try {
      return String.join(
          " ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * One emulator per data set, generated when first needed (before its child starts) and kept for
   * every run.
   */
  private static final class Emulators implements AutoCloseable {
    private final Duration latency;
    private final Map<DataSet, GraphApiEmulator> started = new EnumMap<>(DataSet.class);

    Emulators(Duration latency) {
      this.latency = latency;
    }

    GraphApiEmulator get(DataSet set) {
      return started.computeIfAbsent(set, s -> s.start(latency));
    }

    @Override
    public void close() {
      started.values().forEach(GraphApiEmulator::close);
    }
  }
}
