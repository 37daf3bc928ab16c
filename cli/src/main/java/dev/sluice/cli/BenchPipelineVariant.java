package dev.sluice.cli;

import dev.sluice.embed.EmbedConfig;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.query.QueryConfig;
import dev.sluice.runtime.SettingsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A configuration that {@code sluice bench pipeline} runs Sluice with, interleaved with the others
 * (so that a change is judged against the reference on the same noisy machine): other settings,
 * written {@code NAME:key=value,key=value} with keys as the services read them, which reach the run's
 * JVM as {@code SLUICE_*} environment variables the way a deployment sets them; or another build of
 * Sluice, written {@code NAME:path/to/sluice.jar} (one whose {@code bench pipeline} can run a step).
 *
 * @param settings keys of the services' settings (e.g. {@code embed.batch.max.wait.ms}) to values
 * @param jar the build to run, when not this one
 */
record BenchPipelineVariant(String name, Map<String, String> settings, Optional<Path> jar) {
  /** The configuration every other is compared with: the defaults (and whatever the environment sets). */
  static final BenchPipelineVariant REFERENCE = new BenchPipelineVariant("default", Map.of(), Optional.empty());

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");
  private static final Set<String> PER_TENANT_PREFIXES = Set.of(IngestConfig.CHUNK_MAX_TOKENS_TENANT, IngestConfig.CHUNK_OVERLAP_TENANT);

  BenchPipelineVariant {
    settings = Collections.unmodifiableMap(new TreeMap<>(settings));
  }

  /**
   * Parses {@code NAME:key=value,key=value} and validates every key and value against the services'
   * settings definitions.
   *
   * @throws CliException naming what is wrong
   */
  static BenchPipelineVariant parse(String spec) {
    String name = name(spec);
    Map<String, String> settings = new LinkedHashMap<>();
    String body = spec.length() > name.length() ? spec.substring(name.length() + 1).strip() : "";
    for (String pair : body.isEmpty() ? new String[0] : body.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new CliException("--variant '" + spec + "': '" + pair + "' is not key=value");
      }
      settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    if (settings.isEmpty()) {
      throw new CliException("--variant '" + spec + "' sets nothing; write NAME:key=value[,key=value...]");
    }
    validate(spec, settings);
    return new BenchPipelineVariant(name, settings, Optional.empty());
  }

  /**
   * Parses {@code NAME:path/to/sluice.jar}.
   *
   * @throws CliException when the name is not one or the jar is not a file
   */
  static BenchPipelineVariant build(String spec) {
    String name = name(spec);
    Path jar = Path.of(spec.substring(name.length() + 1).strip());
    if (!Files.isRegularFile(jar)) {
      throw new CliException("--build '" + spec + "': " + jar + " is not a file (a build's cli/target/sluice.jar)");
    }
    return new BenchPipelineVariant(name, Map.of(), Optional.of(jar.toAbsolutePath().normalize()));
  }

  private static String name(String spec) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    if (!NAME.matcher(name).matches() || name.equals(REFERENCE.name())) {
      throw new CliException("'" + spec + "': the name must be 1-40 letters, digits, '.', '_' or '-', and not '"
          + REFERENCE.name() + "' (the reference, always run)");
    }
    return name;
  }

  private static void validate(String spec, Map<String, String> settings) {
    Set<String> known = new TreeSet<>();
    known.addAll(EmbedConfig.DEFINITION.names());
    known.addAll(IngestConfig.DEFINITION.names());
    known.addAll(IndexConfig.DEFINITION.names());
    known.addAll(QueryConfig.DEFINITION.names());
    for (String key : settings.keySet()) {
      if (!known.contains(key) && PER_TENANT_PREFIXES.stream().noneMatch(key::startsWith)) {
        throw new CliException("--variant '" + spec + "': no service reads a setting '" + key + "'");
      }
      if (key.contains("_")) {
        throw new CliException("--variant '" + spec + "': '" + key + "' cannot be passed as a SLUICE_* variable");
      }
    }
    Map<String, String> merged = new HashMap<>(SettingsSource.load(SettingsSource.configFileFromEnvironment(), settings));
    // Local mode generates a token when none is configured; the query API's settings need one.
    merged.putIfAbsent(QueryConfig.AUTH_TOKENS, "bench=default");
    try {
      EmbedConfig.from(merged);
      IngestConfig.from(merged);
      IndexConfig.from(merged);
      QueryConfig.from(merged);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new CliException("--variant '" + spec + "': " + e.getMessage());
    }
  }

  /** The settings as the environment variables that {@link SettingsSource} reads back into these keys. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    settings.forEach((key, value) -> env.put("SLUICE_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
    return env;
  }

  /** How the report names it: the name, and what it sets or which build it is. */
  String describe() {
    if (jar.isPresent()) {
      return name + " (build " + jar.get() + ")";
    }
    return settings.isEmpty() ? name : name + " (" + settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ")) + ")";
  }
}
