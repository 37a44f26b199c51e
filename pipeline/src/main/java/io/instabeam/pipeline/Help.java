package io.instabeam.pipeline;

import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code --help}: the commands and every option of {@link InstabeamOptions} with its type, default
 * and description, read from the interface's annotations. Beam's own help printer validates every
 * options interface on the class path first (seconds); this needs none of it.
 */
final class Help {
  private static final int WIDTH = 80;

  private Help() {}

  static void print(PrintStream out) {
    out.println(
        """
        instabeam: Instagram Graph API data into files (JSON lines, Parquet) or BigQuery, as an Apache Beam batch job.

        Usage:
          instabeam [--option=value ...]            run the job (exit 0 done, 1 failed: nothing published, 2 bad config)
          instabeam check [--option=value ...]      check the token and the accounts and metrics it reaches
          instabeam refresh-token --accessTokenFile=PATH [...]  refresh an Instagram-Login token in its file
          instabeam discover [--erd] [--login=L]    print the stream catalog (or its entity-relationship diagram)

        Beam's options are accepted too (--runner, --tempLocation, the runner's own options).

        Options:""");
    for (Option option : options()) {
      out.println("  --" + option.name() + "=<" + option.type() + ">");
      if (option.defaultValue() != null) {
        out.println("    Default: " + option.defaultValue());
      }
      wrap(option.description(), out);
    }
  }

  /**
   * One option of {@link InstabeamOptions}, as its annotations declare it; {@code defaultValue}
   * null if none.
   */
  record Option(String name, String type, String defaultValue, String description) {}

  /**
   * Every option of {@link InstabeamOptions} that has a description, by name: what {@code --help}
   * prints and what the options reference in {@code docs/operations.md} is generated from.
   */
  static List<Option> options() {
    return Arrays.stream(InstabeamOptions.class.getDeclaredMethods())
        .filter(method -> method.isAnnotationPresent(Description.class))
        .map(
            getter ->
                new Option(
                    OptionsRegistry.optionName(getter).orElseThrow(),
                    getter.getReturnType().getSimpleName(),
                    defaultValue(getter),
                    getter.getAnnotation(Description.class).value()))
        .sorted(Comparator.comparing(Option::name))
        .toList();
  }

  /**
   * The value of the getter's {@code @Default.X} annotation, whichever kind it is; null if it has
   * none.
   */
  private static String defaultValue(Method getter) {
    for (Annotation annotation : getter.getAnnotations()) {
      if (annotation.annotationType().getEnclosingClass() == Default.class) {
        try {
          return String.valueOf(annotation.annotationType().getMethod("value").invoke(annotation));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("unreadable default of " + getter, e);
        }
      }
    }
    return null;
  }

  private static void wrap(String text, PrintStream out) {
    StringBuilder line = new StringBuilder("   ");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > WIDTH && line.length() > 3) {
        out.println(line);
        line = new StringBuilder("   ");
      }
      line.append(' ').append(word);
    }
    out.println(line);
  }
}
