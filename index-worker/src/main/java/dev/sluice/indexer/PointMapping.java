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
    PointPayload payload = new PointPayload(
        chunk.getTenant(), chunk.getDocId(), chunk.getChunkId(), chunk.getOrdinal(), chunk.getText(),
        chunk.getContentHash(), chunk.getDocVersion(), doc.getSource(), Optional.ofNullable(doc.getTitle()),
        chunk.getSection(), Optional.ofNullable(doc.getContentType()), Optional.ofNullable(doc.getLanguage()),
        doc.getMetadata(), doc.getAclGroups(), embedded.getModelId(), doc.getEventTime(), indexedAt,
        false, Optional.empty(), true);
    return new IndexPoint(chunk.getChunkId(), vector, payload);
  }

  /**
   * A stored point as it belongs to {@code manifest}'s version: the chunk's own fields (text, hash,
   * section, model) kept, the document's facts, version and the chunk's ordinal taken from the
   * manifest, visible. What a version whose chunks did not flow through again (unchanged content, or
   * a restore after a delete) writes onto the points it reuses.
   */
  static PointPayload atVersion(PointPayload stored, DocumentManifest manifest, int ordinal, Instant indexedAt) {
    DocumentInfo doc = manifest.getDocument();
    return new PointPayload(
        stored.tenant(), stored.docId(), stored.chunkId(), ordinal, stored.text(), stored.contentHash(),
        manifest.getDocVersion(), doc.getSource(), Optional.ofNullable(doc.getTitle()), stored.section(),
        Optional.ofNullable(doc.getContentType()), Optional.ofNullable(doc.getLanguage()), doc.getMetadata(),
        doc.getAclGroups(), stored.modelId(), doc.getEventTime(), indexedAt, false, Optional.empty(), false);
  }
}
