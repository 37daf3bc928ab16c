package dev.sluice.ingest;

import dev.sluice.events.Chunk;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import java.util.List;
import java.util.Optional;

/** Builds the records of the chunks topic from a document event and what ingest made of it. */
final class ChunkRecords {
  private ChunkRecords() {}

  /**
   * The document-level facts every chunk and manifest carries: the publisher's title wins over the
   * one found in the document; the detected type wins over the declared one.
   */
  static DocumentInfo info(DocumentEvent event, Optional<String> parsedTitle, Optional<String> detectedType) {
    return DocumentInfo.newBuilder()
        .setSource(event.getSource())
        .setTitle(Optional.ofNullable(event.getTitle()).or(() -> parsedTitle).orElse(null))
        .setContentType(detectedType.or(() -> Optional.ofNullable(event.getContentType())).orElse(null))
        .setLanguage(event.getMetadata().get("language"))
        .setMetadata(event.getMetadata())
        .setAclGroups(event.getAclGroups())
        .setEventTime(event.getEventTime())
        .setTraceId(event.getTraceId())
        .build();
  }

  static Chunk chunk(DocumentEvent event, DocumentInfo info, TextChunker.ChunkText piece, int ordinal, String chunkId, String hash) {
    return Chunk.newBuilder()
        .setTenant(event.getTenant())
        .setDocId(event.getDocId())
        .setDocVersion(event.getVersion())
        .setChunkId(chunkId)
        .setOrdinal(ordinal)
        .setText(piece.text())
        .setContentHash(hash)
        .setSection(piece.section())
        .setTokenCount(piece.tokens())
        .setDocument(info)
        .setFlags(piece.flags())
        .build();
  }

  /**
   * The manifest that closes a version.
   *
   * @param chunkIds every chunk of the version, in order; empty for a DELETE
   * @param documentHash hash of the cleaned text; null for a DELETE
   */
  static DocumentManifest manifest(DocumentEvent event, DocumentInfo info, List<String> chunkIds, String documentHash) {
    return DocumentManifest.newBuilder()
        .setTenant(event.getTenant())
        .setDocId(event.getDocId())
        .setDocVersion(event.getVersion())
        .setOp(event.getOp())
        .setChunkIds(chunkIds)
        .setContentHash(documentHash)
        .setDocument(info)
        .build();
  }
}
