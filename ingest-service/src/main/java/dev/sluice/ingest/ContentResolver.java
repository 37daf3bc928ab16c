package dev.sluice.ingest;

import dev.sluice.events.DocumentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Reads a document's content: inline bytes, a {@code file:} URI that must resolve (symlinks followed)
 * under one of the allowed roots, or an {@code http(s):} URI on an allow-listed host. Anything else is
 * refused before a byte is read. Thread-safe.
 */
final class ContentResolver implements AutoCloseable {
  private final List<Path> configuredRoots;
  private final List<Path> realRoots;
  private final long maxBytes;
  private final HttpFetcher http;

  ContentResolver(ReferencePolicy policy, long maxBytes) {
    this.configuredRoots = policy.allowedRoots().stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.realRoots = policy.allowedRoots().stream().map(ContentResolver::realPath).toList();
    this.maxBytes = maxBytes;
    this.http = new HttpFetcher(policy, maxBytes);
  }

  /** The content's bytes. */
  byte[] read(DocumentEvent event) throws ContentRefusedException, IOException {
    if (event.getContent() != null) {
      ByteBuffer content = event.getContent().duplicate();
      byte[] bytes = new byte[content.remaining()];
      content.get(bytes);
      return bytes;
    }
    URI uri;
    try {
      uri = URI.create(event.getContentRef().strip());
    } catch (IllegalArgumentException e) {
      throw new ContentRefusedException(IngestReasons.BAD_REFERENCE, "contentRef is not a URI: " + e.getMessage());
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> readFile(allowedPath(uri, event.getContentRef()));
      case "http", "https" -> http.fetch(uri);
      default -> throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED,
          "only file: and http(s): references are supported, got '" + uri.getScheme() + ":'");
    };
  }

  private byte[] readFile(Path path) throws ContentRefusedException, IOException {
    long size = Files.size(path);
    if (size > maxBytes) {
      throw new ContentRefusedException(IngestReasons.TOO_LARGE, "document is " + size + " bytes, the limit is " + maxBytes);
    }
    // The checked path is already real; NOFOLLOW_LINKS refuses a symlink swapped in since the check.
    try (InputStream in = Channels.newInputStream(Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      return in.readNBytes((int) size);
    }
  }

  /**
   * The real path of a file reference, if it is allowed: the path as written must lie under an allowed
   * root (checked before touching the file system, so that probing outside reveals nothing), and so
   * must the path with every symlink resolved (a link inside a root pointing outside is refused).
   */
  private Path allowedPath(URI uri, String reference) throws ContentRefusedException {
    Path requested;
    try {
      requested = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new ContentRefusedException(IngestReasons.BAD_REFERENCE, reference + " is not a local file URI: " + e.getMessage());
    }
    if (!underAllowedRoot(requested)) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED, reference + " is outside the allowed roots " + realRoots);
    }
    Path real;
    try {
      real = requested.toRealPath();
    } catch (IOException e) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_FOUND, "cannot read " + reference + ": " + e);
    }
    if (realRoots.stream().noneMatch(real::startsWith)) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_ALLOWED,
          reference + " resolves to " + real + ", outside the allowed roots " + realRoots);
    }
    if (!Files.isRegularFile(real)) {
      throw new ContentRefusedException(IngestReasons.REFERENCE_NOT_FOUND, reference + " is not a regular file");
    }
    return real;
  }

  private boolean underAllowedRoot(Path path) {
    return configuredRoots.stream().anyMatch(path::startsWith) || realRoots.stream().anyMatch(path::startsWith);
  }

  private static Path realPath(Path root) {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      return root.toAbsolutePath().normalize();
    }
  }

  @Override
  public void close() {
    http.close();
  }

  /** The content cannot be read, for a reason the publisher must fix. */
  static final class ContentRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    ContentRefusedException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }
}
