package io.instabeam.pipeline;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers with Beam's options factory the options interfaces a run's arguments name, instead of
 * every interface on the class path. Beam validates each registered interface against all
 * registered before it, sorting their methods by their generic signatures: the 23 interfaces of the
 * shaded jar (Flink, Dataflow, Cloud) cost a user's run 2-3 seconds before its first request, more
 * than the small job's whole work. An interface that holds an option given on the command line is
 * registered, so every option Beam knows is still accepted; {@code as(...)} works for any interface
 * without registration. Runners other than the direct and the Flink runner get every interface.
 */
final class OptionsRegistry {
  private static final String REGISTRARS =
      "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
  private static final Set<String> ON_DEMAND_RUNNERS = Set.of("direct", "flink");
  private static boolean trimmed;

  private OptionsRegistry() {}

  /**
   * Registers {@link InstabeamOptions}, {@link DirectOptions} and every interface declaring an
   * option in args.
   */
  static synchronized void registerFor(String[] args) {
    trimOnce();
    needed(args).forEach(PipelineOptionsFactory::register);
  }

  /** The interfaces a run with these arguments registers. */
  static Set<Class<? extends PipelineOptions>> needed(String[] args) {
    Set<String> named = given(args);
    Set<Class<? extends PipelineOptions>> needed =
        new LinkedHashSet<>(List.of(InstabeamOptions.class, DirectOptions.class));
    if (!ON_DEMAND_RUNNERS.contains(runner(args))) {
      needed.addAll(registered());
      return needed;
    }
    Set<Class<? extends PipelineOptions>> candidates = new LinkedHashSet<>();
    registered().forEach(iface -> addWithSupertypes(iface, candidates));
    candidates.stream().filter(iface -> declaresAny(iface, named)).forEach(needed::add);
    return needed;
  }

  /**
   * Starts Beam's registry empty: the registrars' service file is hidden while it is first built.
   */
  private static void trimOnce() {
    if (trimmed) {
      return;
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(
        new ClassLoader(OptionsRegistry.class.getClassLoader()) {
          @Override
          public Enumeration<URL> getResources(String name) throws IOException {
            return name.equals(REGISTRARS)
                ? Collections.emptyEnumeration()
                : super.getResources(name);
          }
        });
    try {
      PipelineOptionsFactory.resetCache();
    } finally {
      thread.setContextClassLoader(previous);
    }
    trimmed = true;
  }

  /** The interfaces the registrars on the class path name (Beam's default registry). */
  private static List<Class<? extends PipelineOptions>> registered() {
    return ServiceLoader.load(
            PipelineOptionsRegistrar.class, OptionsRegistry.class.getClassLoader())
        .stream()
        .flatMap(
            registrar ->
                StreamSupport.stream(registrar.get().getPipelineOptions().spliterator(), false))
        .distinct()
        .collect(Collectors.toList());
  }

  private static String runner(String[] args) {
    String name =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--runner="))
            .reduce((first, last) -> last)
            .map(a -> a.substring("--runner=".length()).toLowerCase(Locale.ROOT))
            .orElse("direct");
    name = name.substring(name.lastIndexOf('.') + 1);
    return name.endsWith("runner") ? name.substring(0, name.length() - "runner".length()) : name;
  }

  @SuppressWarnings("unchecked") // every super-interface added extends PipelineOptions
  private static void addWithSupertypes(
      Class<?> iface, Set<Class<? extends PipelineOptions>> into) {
    if (PipelineOptions.class.isAssignableFrom(iface)
        && into.add((Class<? extends PipelineOptions>) iface)) {
      Arrays.stream(iface.getInterfaces()).forEach(parent -> addWithSupertypes(parent, into));
    }
  }

  /** Whether the interface itself (not a parent) declares a getter of one of the named options. */
  private static boolean declaresAny(Class<?> iface, Set<String> names) {
    return Arrays.stream(iface.getDeclaredMethods())
        .anyMatch(method -> optionName(method).filter(names::contains).isPresent());
  }

  /** The names of the options the arguments give ({@code --name=value} or {@code --name}). */
  static Set<String> given(String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith("--"))
        .map(a -> a.substring(2).split("=", 2)[0])
        .collect(Collectors.toSet());
  }

  /**
   * The option a getter reads, as Beam names it ({@code getOutput} → {@code output}); empty for
   * other methods.
   */
  static Optional<String> optionName(Method method) {
    String name = method.getName();
    int prefix = name.startsWith("get") ? 3 : name.startsWith("is") ? 2 : 0;
    return prefix == 0 || method.getParameterCount() > 0
        ? Optional.empty()
        : Optional.of(Introspector.decapitalize(name.substring(prefix)));
  }
}
