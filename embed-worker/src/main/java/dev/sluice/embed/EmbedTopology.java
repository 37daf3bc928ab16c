package dev.sluice.embed;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.runtime.TypedSinkSerializer;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/** chunks → embed with the configured model → vectors (manifests pass through in order), or dlq. */
public final class EmbedTopology {
  static final String SOURCE = "chunks-source";
  static final String PROCESSOR = "embed-chunk";
  static final String VECTORS_SINK = "vectors-sink";
  static final String DLQ_SINK = "dlq-sink";

  private EmbedTopology() {}

  /** @param model the loaded model; each task gets its own embedder when it starts */
  public static Topology build(EmbedConfig config, EmbeddingModel model, MeterRegistry registry) {
    TopicCatalogue topics = config.streams().topics();
    EmbedMetrics metrics = new EmbedMetrics(registry);
    Topology topology = new Topology();
    topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.chunks().name());
    topology.addProcessor(PROCESSOR, () -> new EmbedProcessor(model, metrics), SOURCE);
    topology.addSink(VECTORS_SINK, topics.vectors().name(), topics.vectors().keySerde().serializer(),
        TypedSinkSerializer.of(VectorTopicRecord.class, topics.vectors().valueSerde().serializer()), PROCESSOR);
    topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
        TypedSinkSerializer.of(DeadLetter.class, topics.dlq().valueSerde().serializer()), PROCESSOR);
    return topology;
  }
}
