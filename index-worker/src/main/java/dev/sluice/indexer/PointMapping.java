package dev.sluice.indexer;

import dev.sluice.events.Chunk;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Maps an embedded chunk to the point the index stores (MISSION.md: payload on every point). */
final class PointMapping {
  private PointMapping() {}

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
        false, Optional.empty());
    return new IndexPoint(chunk.getChunkId(), vector, payload);
  }
}
