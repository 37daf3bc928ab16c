package dev.sluice.indexer;

import dev.sluice.events.DeadLetter;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import dev.sluice.runtime.TypedSinkSerializer;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * vectors → staged upserts and one-step version publishes in the vector index (or dlq); dlq → failed
 * documents in the document registry, so the status API can say why a document is missing; progress
 * → pending documents, with the stage they are in. Every
 * index and registry call waits out transient failures ({@link ResilientCalls}).
 */
public final class IndexTopology {
  static final String VECTORS_SOURCE = "vectors-source";
  static final String INDEX_PROCESSOR = "index-vector";
  static final String DLQ_SOURCE = "dlq-source";
  static final String FAILURE_PROCESSOR = "record-failure";
  static final String DLQ_SINK = "dlq-sink";
  static final String PROGRESS_SOURCE = "progress-source";
  static final String PROGRESS_PROCESSOR = "record-progress";

  private IndexTopology() {}

  public static Topology build(IndexConfig config, VectorIndex index, DocumentRegistry registry, MeterRegistry meters) {
    return build(config, index, registry, meters, new ResilientCalls(config.resilience(), meters));
  }

  static Topology build(IndexConfig config, VectorIndex index, DocumentRegistry registry, MeterRegistry meters,
      ResilientCalls calls) {
    TopicCatalogue topics = config.streams().topics();
    IndexMetrics metrics = new IndexMetrics(meters);
    VectorIndex guardedIndex = new GuardedIndex(index, calls);
    DocumentRegistry guardedRegistry = new GuardedRegistry(registry, calls);
    PurgeSchedule purge = new PurgeSchedule(guardedIndex, config.purge(), metrics);
    Topology topology = new Topology();
    topology.addSource(VECTORS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.vectors().name());
    topology.addProcessor(INDEX_PROCESSOR,
        () -> new IndexProcessor(guardedIndex, guardedRegistry, metrics, config.batch(), purge), VECTORS_SOURCE);
    topology.addSource(DLQ_SOURCE, Serdes.String().deserializer(), topics.dlq().valueSerde().deserializer(), topics.dlq().name());
    topology.addProcessor(FAILURE_PROCESSOR, () -> new FailureRecorder(guardedRegistry), DLQ_SOURCE);
    topology.addSource(PROGRESS_SOURCE, Serdes.String().deserializer(), topics.progress().valueSerde().deserializer(),
        topics.progress().name());
    topology.addProcessor(PROGRESS_PROCESSOR, () -> new ProgressRecorder(new PendingStatus(guardedRegistry)), PROGRESS_SOURCE);
    topology.addStateStore(IndexCommitStore.builder(guardedIndex, guardedRegistry), INDEX_PROCESSOR, FAILURE_PROCESSOR,
        PROGRESS_PROCESSOR);
    topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
        TypedSinkSerializer.of(DeadLetter.class, topics.dlq().valueSerde().serializer()), INDEX_PROCESSOR);
    return topology;
  }
}
