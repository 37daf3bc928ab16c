package dev.sluice.indexer;

import dev.sluice.events.Chunk;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Maps embedded chunks and manifests to what the index stores (docs/contracts.md: payload on every point). */
final class PointMapping {
  private PointMapping() {}

  /** The point of an embedded chunk, staged: hidden until its version is published. */
  static IndexPoint toPoint(EmbeddedChunk embedded, Instant indexedAt) {
    Chunk chunk = embedded.getChunk();
    DocumentInfo doc = chunk.getDocument();
    List<Float> components = embedded.getVector();
    float[] vector = new float[components.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = components.get(i);
    }
    PointPayload payload = documentFacts(PointPayload.builder(), doc)
        .tenant(chunk.getTenant()).docId(chunk.getDocId()).chunkId(chunk.getChunkId()).ordinal(chunk.getOrdinal())
        .text(chunk.getText()).contentHash(chunk.getContentHash()).docVersion(chunk.getDocVersion())
        .section(chunk.getSection()).modelId(embedded.getModelId()).indexedAt(indexedAt).flags(chunk.getFlags())
        .staged(true).build();
    return new IndexPoint(chunk.getChunkId(), vector, payload);
  }

  /**
   * A stored point as it belongs to {@code manifest}'s version: the chunk's own fields (text, hash,
   * section, model) kept, the document's facts, version and the chunk's ordinal taken from the
   * manifest, visible. What a version whose chunks did not flow through again (unchanged content, or
   * a restore after a delete) writes onto the points it reuses.
   */
  static PointPayload atVersion(PointPayload stored, DocumentManifest manifest, int ordinal, Instant indexedAt) {
    return documentFacts(stored.toBuilder(), manifest.getDocument())
        .ordinal(ordinal).docVersion(manifest.getDocVersion()).indexedAt(indexedAt)
        .deleted(false).deletedAt(Optional.empty()).staged(false).build();
  }

  // What a version says about its whole document, the same on each of its points.
  private static PointPayload.Builder documentFacts(PointPayload.Builder payload, DocumentInfo doc) {
    return payload.source(doc.getSource()).title(Optional.ofNullable(doc.getTitle()))
        .contentType(Optional.ofNullable(doc.getContentType())).language(Optional.ofNullable(doc.getLanguage()))
        .metadata(doc.getMetadata()).aclGroups(doc.getAclGroups()).eventTime(doc.getEventTime());
  }
}
