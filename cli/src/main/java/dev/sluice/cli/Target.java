package dev.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which Sluice a command talks to: the local instance of a data dir (its endpoints.json and token),
 * or explicit addresses. Mixed into commands with {@code @Mixin}.
 */
final class Target {
  @Option(names = "--data-dir", description = "Data dir of a running 'sluice local' (default: ${DEFAULT-VALUE}).", defaultValue = "./sluice-data")
  Path dataDir;

  @Option(names = "--bootstrap", description = "Kafka bootstrap servers, instead of the data dir's.")
  Optional<String> bootstrap = Optional.empty();

  @Option(names = "--url", description = "Base URL of the query API, instead of the data dir's.")
  Optional<String> url = Optional.empty();

  @Option(names = "--token", description = "Bearer token (default: SLUICE_TOKEN, else DATA_DIR/token, else the first token of SLUICE_AUTH_TOKENS).")
  Optional<String> token = Optional.empty();

  String bootstrap() {
    return bootstrap.orElseGet(() -> Endpoints.read(dataDir).bootstrap());
  }

  String url() {
    return url.orElseGet(() -> Endpoints.read(dataDir).http());
  }

  String token() {
    return findToken().orElseThrow(() -> new CliException("no token: pass --token, set SLUICE_TOKEN, or start 'sluice local' which writes "
        + dataDir.resolve("token")));
  }

  /**
   * The token to send: --token, SLUICE_TOKEN, the one local mode wrote to DATA_DIR/token, or the
   * first of SLUICE_AUTH_TOKENS (the variable that configured the instance this shell started).
   */
  Optional<String> findToken() {
    if (token.isPresent()) {
      return token;
    }
    String fromEnv = System.getenv("SLUICE_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(fromEnv.strip());
    }
    Path file = dataDir.resolve("token");
    if (Files.isReadable(file)) {
      try {
        return Optional.of(Files.readString(file).strip());
      } catch (java.io.IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
    }
    return Optional.ofNullable(System.getenv("SLUICE_AUTH_TOKENS")).filter(t -> !t.isBlank())
        .map(t -> t.split(",")[0].split("=")[0].strip()).filter(t -> !t.isEmpty());
  }
}
