package dev.sluice.index.lucene;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The aliases of an index root, one {@code alias=collection} line each in {@code aliases.properties}.
 * A change writes a complete new file beside the old one, forces it to disk and renames it over the
 * old one: a reader (in any process) sees the old file or the new one, never a torn one, and a crash
 * leaves one of the two.
 */
final class AliasFile {
  static final String NAME = "aliases.properties";

  private final Path file;

  AliasFile(Path root) {
    this.file = root.resolve(NAME);
  }

  /** Every alias and its collection; empty when the file does not exist. */
  Map<String, String> read() {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read aliases " + file, e);
    }
    Map<String, String> aliases = new TreeMap<>();
    properties.stringPropertyNames().forEach(alias -> aliases.put(alias, properties.getProperty(alias)));
    return aliases;
  }

  /** Replaces the whole file with {@code aliases}, atomically. */
  void write(Map<String, String> aliases) {
    Path temp = file.resolveSibling(NAME + ".tmp");
    Properties properties = new Properties();
    properties.putAll(aliases);
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        properties.store(out, "Sluice collection aliases: alias=collection");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IllegalStateException("the file system of " + file + " cannot rename atomically; aliases need it", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write aliases " + file, e);
    }
  }
}
