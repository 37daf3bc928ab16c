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

  @Option(names = "--token", description = "Bearer token (default: SLUICE_TOKEN, else DATA_DIR/token).")
  Optional<String> token = Optional.empty();

  String bootstrap() {
    return bootstrap.orElseGet(() -> Endpoints.read(dataDir).bootstrap());
  }

  String url() {
    return url.orElseGet(() -> Endpoints.read(dataDir).http());
  }

  String token() {
    if (token.isPresent()) {
      return token.get();
    }
    String fromEnv = System.getenv("SLUICE_TOKEN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    Path file = dataDir.resolve("token");
    try {
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new CliException("no token: pass --token, set SLUICE_TOKEN, or start 'sluice local' which writes " + file);
    }
  }
}
