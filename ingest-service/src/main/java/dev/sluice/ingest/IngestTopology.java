package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.runtime.TypedSinkSerializer;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * documents + documents.backfill → parse, chunk, hash → chunks (chunks then manifest per version), or
 * dlq. A pure function of its inputs: no I/O happens here.
 */
public final class IngestTopology {
  static final String LIVE_SOURCE = "documents-live-source";
  static final String BACKFILL_SOURCE = "documents-backfill-source";
  static final String PROCESSOR = "ingest-document";
  static final String VERSION_STORE = "ingest-document-versions";
  static final String CHUNKS_SINK = "chunks-sink";
  static final String DLQ_SINK = "dlq-sink";

  private IngestTopology() {}

  /**
   * @param tokenizer the embedding model's tokenizer, which measures chunks
   * @param registry where the stage's meters go
   */
  public static Topology build(IngestConfig config, ModelTokenizer tokenizer, MeterRegistry registry) {
    TopicCatalogue topics = config.streams().topics();
    TextChunker textChunker = new TextChunker(tokenizer, config.chunking());
    Topology topology = new Topology();
    topology.addSource(LIVE_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.documents().name());
    topology.addSource(BACKFILL_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.documentsBackfill().name());
    topology.addProcessor(PROCESSOR, () -> new IngestProcessor(config, textChunker, registry), LIVE_SOURCE, BACKFILL_SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VERSION_STORE), Serdes.String(), Serdes.Long()),
        PROCESSOR);
    topology.addSink(CHUNKS_SINK, topics.chunks().name(), topics.chunks().keySerde().serializer(), TypedSinkSerializer.of(ChunkTopicRecord.class, topics.chunks().valueSerde().serializer()), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(), TypedSinkSerializer.of(DeadLetter.class, topics.dlq().valueSerde().serializer()), PROCESSOR);
    return topology;
  }
}
