package io.instabeam.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --name=value} arguments of the budget and incremental benchmarks. */
final class BenchmarkFlags {
  private BenchmarkFlags() {}

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("use --name=value, not " + arg);
      }
      flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return flags;
  }

  static int number(Map<String, String> flags, String name, int fallback) {
    return flags.containsKey(name) ? Integer.parseInt(flags.get(name)) : fallback;
  }
}
