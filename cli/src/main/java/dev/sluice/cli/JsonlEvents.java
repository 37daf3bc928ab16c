package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a BEIR-style JSON-lines corpus ({@code {"_id", "title", "text"}} per line) into document
 * events: docId = {@code _id}; content = title and text joined by a space (how BEIR defines a
 * document), inline as text/plain; title kept for citations; version = the file's last-modified
 * millis, so republishing an unchanged file is a no-op and an edited file supersedes it; source =
 * the file URI with {@code #_id}.
 */
final class JsonlEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A line that is not a document. */
  static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  private final String tenant;
  private final String fileUri;
  private final long version;

  JsonlEvents(String tenant, Path file) throws IOException {
    this.tenant = tenant;
    this.fileUri = file.toAbsolutePath().normalize().toUri().toString();
    this.version = Files.getLastModifiedTime(file).toMillis();
  }

  /** The event for one line, or empty-handed with a reason when the line is not a document. */
  DocumentEvent event(String line, boolean delete) throws BadLine {
    JsonNode doc;
    try {
      doc = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadLine("not JSON: " + e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new BadLine("not a JSON object");
    }
    String id = text(doc, "_id");
    if (id.isBlank()) {
      throw new BadLine("no \"_id\"");
    }
    DocumentEvent.Builder event = DocumentEvent.newBuilder()
        .setTenant(tenant)
        .setDocId(id)
        .setOp(delete ? Operation.DELETE : Operation.UPSERT)
        .setVersion(version)
        .setEventTime(Instant.now())
        .setSource(fileUri + "#" + id)
        .setTitle(null)
        .setContentType(null)
        .setContent(null)
        .setContentRef(null)
        .setMetadata(Map.of())
        .setAclGroups(List.of())
        .setTraceId(UUID.randomUUID().toString());
    if (!delete) {
      String title = text(doc, "title").strip();
      String body = text(doc, "text");
      if (title.isEmpty() && body.isBlank()) {
        throw new BadLine("document '" + id + "' has neither \"title\" nor \"text\"");
      }
      String content = title.isEmpty() ? body : body.isBlank() ? title : title + " " + body;
      event.setTitle(title.isEmpty() ? null : title)
          .setContentType("text/plain")
          .setContent(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }
    return event.build();
  }

  private static String text(JsonNode doc, String field) {
    JsonNode value = doc.get(field);
    return value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
  }
}
