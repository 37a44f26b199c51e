package io.instabeam.pipeline;

/** A bad option: the message names the option, the bad value (secrets masked) and the fix. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public static ConfigException of(String option, String value, String fix) {
    return new ConfigException("--" + option + "=" + value + " is not valid: " + fix);
  }

  /** {@code value} if it is one of {@code allowed}; else the error that lists them. */
  public static String oneOf(String option, String value, String... allowed) {
    if (java.util.Arrays.asList(allowed).contains(value)) {
      return value;
    }
    throw of(option, value, "use one of " + String.join(", ", allowed));
  }
}
