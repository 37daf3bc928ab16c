package dev.sluice.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where raw settings come from, lowest precedence first: an optional properties file, then
 * environment variables, then explicit overrides (command-line flags, local mode). An environment
 * variable {@code SLUICE_A_B_C} sets the key {@code a.b.c}. Typed configs ({@code XxxConfig}) parse and
 * validate these raw values with a Kafka {@code ConfigDef}, so a bad value fails at start-up naming
 * its key.
 */
public final class SettingsSource {
  private static final String ENV_PREFIX = "SLUICE_";

  private SettingsSource() {}

  /** Settings from {@code file} (if present), the process environment and {@code overrides}. */
  public static Map<String, String> load(Optional<Path> file, Map<String, String> overrides) {
    return merge(file, System.getenv(), overrides);
  }

  /** As {@link #load} with an explicit environment, for tests. */
  public static Map<String, String> merge(
      Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>();
    file.ifPresent(path -> settings.putAll(readProperties(path)));
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !name.equals("SLUICE_CONFIG")) {
            settings.put(keyOf(name), value);
          }
        });
    settings.putAll(overrides);
    return settings;
  }

  /** {@code SLUICE_INGEST_ALLOWED_ROOTS} becomes {@code ingest.allowed.roots}. */
  static String keyOf(String environmentName) {
    return environmentName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The config file named by {@code SLUICE_CONFIG}, when set. */
  public static Optional<Path> configFileFromEnvironment() {
    return Optional.ofNullable(System.getenv("SLUICE_CONFIG")).filter(s -> !s.isBlank()).map(Path::of);
  }

  private static Map<String, String> readProperties(Path path) {
    var properties = new java.util.Properties();
    try (InputStream in = Files.newInputStream(path)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
    Map<String, String> values = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    return values;
  }
}
