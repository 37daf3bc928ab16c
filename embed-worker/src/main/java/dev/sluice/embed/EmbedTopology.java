package dev.sluice.embed;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.runtime.TypedSinkSerializer;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * chunks → embed in batches with the configured model, cached by (model, content hash) → vectors
 * (manifests pass through in order), or dlq.
 *
 * <p>State of {@code embed-chunk}, all changelogged: {@code embed-pending} (the batch being
 * gathered, in memory: it is small and short-lived), {@code embed-cache} and {@code
 * embed-cache-order} (the embedding cache and its insertion order, in RocksDB). Renaming a store
 * orphans its changelog, hence the topology-description test.
 */
public final class EmbedTopology {
  static final String SOURCE = "chunks-source";
  static final String PROCESSOR = "embed-chunk";
  static final String VECTORS_SINK = "vectors-sink";
  static final String DLQ_SINK = "dlq-sink";
  static final String PENDING_STORE = "embed-pending";
  static final String CACHE_STORE = "embed-cache";
  static final String CACHE_ORDER_STORE = "embed-cache-order";

  private EmbedTopology() {}

  /**
   * Builds the topology; does no I/O.
   *
   * @param model the loaded model; each task gets its own embedder when it starts
   */
  public static Topology build(EmbedConfig config, EmbeddingModel model, MeterRegistry registry) {
    return build(config, model, registry, System::currentTimeMillis);
  }

  /** As {@link #build(EmbedConfig, EmbeddingModel, MeterRegistry)}, on a given clock (for tests). */
  static Topology build(EmbedConfig config, EmbeddingModel model, MeterRegistry registry, LongSupplier wallClockMs) {
    TopicCatalogue topics = config.streams().topics();
    EmbedMetrics metrics = new EmbedMetrics(registry);
    Topology topology = new Topology();
    topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.chunks().name());
    topology.addProcessor(PROCESSOR, () -> new EmbedProcessor(model, config, metrics, wallClockMs), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(PENDING_STORE), Serdes.Long(), Serdes.ByteArray()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CACHE_STORE), Serdes.String(), Serdes.ByteArray()), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(CACHE_ORDER_STORE), Serdes.Long(), Serdes.String()), PROCESSOR);
    topology.addSink(VECTORS_SINK, topics.vectors().name(), topics.vectors().keySerde().serializer(),
        TypedSinkSerializer.of(VectorTopicRecord.class, topics.vectors().valueSerde().serializer()), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
        TypedSinkSerializer.of(DeadLetter.class, topics.dlq().valueSerde().serializer()), PROCESSOR);
    return topology;
  }
}
