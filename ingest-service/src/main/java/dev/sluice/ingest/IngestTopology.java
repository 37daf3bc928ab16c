package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentProgress;
import dev.sluice.runtime.TypedSinkSerializer;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * documents + documents.backfill → parse, clean, chunk, hash → chunks (chunks then manifest per
 * version, or a manifest alone for unchanged content) and a progress record (the version is accepted
 * and pending), or dlq. A pure function of its inputs: no I/O
 * happens here (parse workers start on the first document).
 *
 * <p>State, both stores changelogged: {@value #VERSION_STORE} holds the last accepted version of each
 * document (the version guard); {@value #CONTENT_STORE} holds what the last accepted UPSERT turned
 * into (the dedup), and nothing after a DELETE.
 */
public final class IngestTopology {
  static final String LIVE_SOURCE = "documents-live-source";
  static final String BACKFILL_SOURCE = "documents-backfill-source";
  static final String PROCESSOR = "ingest-document";
  static final String VERSION_STORE = "ingest-document-versions";
  static final String CONTENT_STORE = "ingest-document-content";
  static final String CHUNKS_SINK = "chunks-sink";
  static final String DLQ_SINK = "dlq-sink";
  static final String PROGRESS_SINK = "progress-sink";

  private IngestTopology() {}

  /**
   * @param tokenizer the embedding model's tokenizer, which measures chunks
   * @param registry where the stage's meters go
   * @throws IllegalArgumentException when a chunk budget exceeds the tokenizer's window
   */
  public static Topology build(IngestConfig config, ModelTokenizer tokenizer, MeterRegistry registry) {
    TopicCatalogue topics = config.streams().topics();
    DocumentIngestor ingestor = DocumentIngestor.shared(config, tokenizer);
    IngestMetrics metrics = new IngestMetrics(registry);
    Topology topology = new Topology();
    topology.addSource(LIVE_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.documents().name());
    topology.addSource(BACKFILL_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.documentsBackfill().name());
    topology.addProcessor(PROCESSOR, () -> new IngestProcessor(config, ingestor, metrics), LIVE_SOURCE, BACKFILL_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSION_STORE), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTENT_STORE), Serdes.String(), AcceptedContent.serde()),
        PROCESSOR);
    topology.addSink(CHUNKS_SINK, topics.chunks().name(), topics.chunks().keySerde().serializer(), TypedSinkSerializer.of(ChunkTopicRecord.class, topics.chunks().valueSerde().serializer()), PROCESSOR);
    topology.addSink(PROGRESS_SINK, topics.progress().name(), topics.progress().keySerde().serializer(),
        TypedSinkSerializer.of(DocumentProgress.class, topics.progress().valueSerde().serializer()), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(), TypedSinkSerializer.of(DeadLetter.class, topics.dlq().valueSerde().serializer()), PROCESSOR);
    return topology;
  }
}
