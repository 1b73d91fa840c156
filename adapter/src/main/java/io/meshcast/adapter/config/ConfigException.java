package io.meshcast.adapter.config;

/**
 * A configuration file that cannot be used. The message names the key (dotted path, list indices
 * in brackets) and the offending value, e.g. {@code prometheus.timeout: invalid duration "5x"}.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super((key.isEmpty() ? "" : key + ": ") + problem, null, false, false);
    this.key = key;
  }

  /** The dotted path of the offending key; empty for whole-file problems. */
  public String key() {
    return key;
  }
}
