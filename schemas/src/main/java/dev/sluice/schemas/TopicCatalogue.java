package dev.sluice.schemas;

import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentProgress;
import dev.sluice.events.VectorTopicRecord;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline, named once. All records are keyed by {@code tenant/docId} (see {@link
 * DocumentKey}) so that the events of one document stay ordered in one partition through every stage.
 * {@code progress} carries a document version's moves between stages (written by ingest, read by
 * the index-worker into the document status), so a document in flight reads as pending.
 *
 * @param prefix prepended to every topic name, e.g. {@code "sluice."}; may be empty
 */
public record TopicCatalogue(
    String prefix,
    Topic<String, DocumentEvent> documents,
    Topic<String, DocumentEvent> documentsBackfill,
    Topic<String, ChunkTopicRecord> chunks,
    Topic<String, VectorTopicRecord> vectors,
    Topic<String, DeadLetter> dlq,
    Topic<String, DocumentProgress> progress) {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,100}");

  /** Builds the catalogue for a topic-name prefix. */
  public static TopicCatalogue withPrefix(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may only hold letters, digits, '.', '_' and '-' (at most 100)");
    }
    Serde<String> keys = Serdes.String();
    return new TopicCatalogue(
        prefix,
        new Topic<>(prefix + "documents", keys, AvroSerdes.of(DocumentEvent.class)),
        new Topic<>(prefix + "documents.backfill", keys, AvroSerdes.of(DocumentEvent.class)),
        new Topic<>(prefix + "chunks", keys, AvroSerdes.of(ChunkTopicRecord.class)),
        new Topic<>(prefix + "vectors", keys, AvroSerdes.of(VectorTopicRecord.class)),
        new Topic<>(prefix + "dlq", keys, AvroSerdes.of(DeadLetter.class)),
        new Topic<>(prefix + "progress", keys, AvroSerdes.of(DocumentProgress.class)));
  }

  /** All topic names, in pipeline order. */
  public List<String> allNames() {
    return List.of(
        documents.name(), documentsBackfill.name(), chunks.name(), vectors.name(), dlq.name(), progress.name());
  }
}
