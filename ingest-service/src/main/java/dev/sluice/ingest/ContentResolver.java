package dev.sluice.ingest;

import dev.sluice.events.DocumentEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a document's content: inline bytes, or a {@code file:} URI that must resolve (symlinks
 * followed) under one of the allowed roots. Anything else is refused before a byte is read.
 */
final class ContentResolver {
  private final List<Path> allowedRoots;
  private final long maxBytes;

  ContentResolver(List<Path> allowedRoots, long maxBytes) {
    this.allowedRoots = allowedRoots.stream().map(ContentResolver::realPath).toList();
    this.maxBytes = maxBytes;
  }

  /** The content's bytes. */
  byte[] read(DocumentEvent event) throws ContentRefusedException, IOException {
    if (event.getContent() != null) {
      ByteBuffer content = event.getContent().duplicate();
      byte[] bytes = new byte[content.remaining()];
      content.get(bytes);
      return bytes;
    }
    Path path = allowedPath(event.getContentRef());
    long size = Files.size(path);
    if (size > maxBytes) {
      throw new ContentRefusedException("too-large", "document is " + size + " bytes, the limit is " + maxBytes);
    }
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes((int) Math.min(size, Integer.MAX_VALUE - 8));
    }
  }

  private Path allowedPath(String reference) throws ContentRefusedException {
    URI uri;
    try {
      uri = URI.create(reference);
    } catch (IllegalArgumentException e) {
      throw new ContentRefusedException("bad-reference", "contentRef is not a URI: " + e.getMessage());
    }
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new ContentRefusedException("reference-not-allowed", "only file: references are supported, got '" + uri.getScheme() + ":'");
    }
    Path real;
    try {
      real = Path.of(uri).toRealPath();
    } catch (IOException | RuntimeException e) {
      throw new ContentRefusedException("reference-not-found", "cannot read " + reference + ": " + e.getMessage());
    }
    if (allowedRoots.stream().noneMatch(real::startsWith)) {
      throw new ContentRefusedException(
          "reference-not-allowed", reference + " is outside the allowed roots " + allowedRoots);
    }
    if (!Files.isRegularFile(real)) {
      throw new ContentRefusedException("reference-not-found", reference + " is not a regular file");
    }
    return real;
  }

  private static Path realPath(Path root) {
    try {
      return root.toRealPath();
    } catch (IOException e) {
      return root.toAbsolutePath().normalize();
    }
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
