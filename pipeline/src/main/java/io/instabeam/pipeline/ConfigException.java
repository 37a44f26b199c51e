package io.instabeam.pipeline;

/** A bad option: the message names the option, the bad value (secrets masked) and the fix. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public static ConfigException of(String option, String value, String fix) {
    return new ConfigException("--" + option + "=" + value + " is not valid: " + fix);
  }
}
