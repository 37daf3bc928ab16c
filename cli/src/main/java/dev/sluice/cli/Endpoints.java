package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code DIR/endpoints.json}, written by {@code sluice local} so that the other commands find the
 * broker and the HTTP API: {@code {"bootstrap": "...", "http": "..."}}.
 */
record Endpoints(String bootstrap, String http) {
  static final String FILE = "endpoints.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path dataDir) {
    try {
      Path tmp = dataDir.resolve(FILE + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
      Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
    }
  }

  /** @throws CliException when no local instance has written the file */
  static Endpoints read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      return JSON.readValue(Files.readString(file), Endpoints.class);
    } catch (NoSuchFileException e) {
      throw new CliException("no " + file + ": start 'sluice local --data-dir " + dataDir + "' first, or pass --bootstrap/--url");
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
