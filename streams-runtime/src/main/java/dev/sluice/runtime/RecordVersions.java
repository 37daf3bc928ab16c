package dev.sluice.runtime;

import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.schemas.AvroSerdes;
import java.util.Optional;

/**
 * The document version an original record carries, whichever pipeline topic it came from. A dead
 * letter with its version lets the document status tell a newer version's failure from an older
 * one's; the failure handlers, which see only bytes, get it here. Single-object encoding names the
 * schema in each record, so a record of another type is refused at once, without a full decode.
 */
final class RecordVersions {
  private static final AvroSerdes.Codec<DocumentEvent> EVENTS = AvroSerdes.codec(DocumentEvent.class);
  private static final AvroSerdes.Codec<ChunkTopicRecord> CHUNKS = AvroSerdes.codec(ChunkTopicRecord.class);
  private static final AvroSerdes.Codec<VectorTopicRecord> VECTORS = AvroSerdes.codec(VectorTopicRecord.class);

  private RecordVersions() {}

  static Optional<Long> of(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(EVENTS.decode(value).getVersion());
    } catch (RuntimeException notAnEvent) {
      // Not a document event: try the next topic's type.
    }
    try {
      Object body = CHUNKS.decode(value).getBody();
      return Optional.of(body instanceof DocumentManifest m ? m.getDocVersion() : ((dev.sluice.events.Chunk) body).getDocVersion());
    } catch (RuntimeException notAChunk) {
      // Not a chunk record either.
    }
    try {
      Object body = VECTORS.decode(value).getBody();
      return Optional.of(body instanceof DocumentManifest m ? m.getDocVersion() : ((EmbeddedChunk) body).getChunk().getDocVersion());
    } catch (RuntimeException unknown) {
      return Optional.empty();
    }
  }
}
