package dev.sluice.cli;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Turns files into document events: docId = path relative to the published root (the file name for a
 * file root), version = last-modified millis, source = the file URI, content inline when small and
 * by {@code file:} reference otherwise.
 */
final class FileEvents {
  private final String tenant;
  private final long maxInlineBytes;

  FileEvents(String tenant, long maxInlineBytes) {
    this.tenant = tenant;
    this.maxInlineBytes = maxInlineBytes;
  }

  /** The regular files under {@code root} (or root itself), sorted. */
  static List<Path> files(Path root) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .sorted()
          .toList();
    }
  }

  /** Hidden files (editor swap files, .DS_Store) are not documents. */
  static boolean isHidden(Path file) {
    return file.getFileName().toString().startsWith(".");
  }

  static String docId(Path root, Path file) {
    Path relative = Files.isRegularFile(root) ? root.getFileName() : root.relativize(file);
    return relative.toString().replace('\\', '/');
  }

  DocumentEvent upsert(Path root, Path file) throws IOException {
    long size = Files.size(file);
    DocumentEvent.Builder event = base(root, file, Operation.UPSERT);
    if (size <= maxInlineBytes) {
      event.setContent(ByteBuffer.wrap(Files.readAllBytes(file)));
    } else {
      event.setContentRef(file.toAbsolutePath().normalize().toUri().toString());
    }
    return event.build();
  }

  DocumentEvent delete(Path root, Path file) throws IOException {
    return base(root, file, Operation.DELETE).build();
  }

  private DocumentEvent.Builder base(Path root, Path file, Operation op) throws IOException {
    long modified = Files.getLastModifiedTime(file).toMillis();
    return DocumentEvent.newBuilder()
        .setTenant(tenant)
        .setDocId(docId(root, file))
        .setOp(op)
        .setVersion(modified)
        .setEventTime(Instant.now())
        .setSource(file.toAbsolutePath().normalize().toUri().toString())
        .setTitle(null)
        .setContentType(null)
        .setContent(null)
        .setContentRef(null)
        .setMetadata(Map.of())
        .setAclGroups(List.of())
        .setTraceId(UUID.randomUUID().toString());
  }
}
