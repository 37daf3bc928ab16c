package dev.sluice.embed;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import dev.sluice.schemas.AvroSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds each chunk and forwards it, stamped with the model id; forwards manifests unchanged, so a
 * version's manifest still follows its chunks. One embedder (DJL predictor) per task.
 */
final class EmbedProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(EmbedProcessor.class);
  static final String STAGE = "embed";

  private final EmbeddingModel model;
  private final EmbedMetrics metrics;
  private final AvroSerdes.Codec<ChunkTopicRecord> codec = AvroSerdes.codec(ChunkTopicRecord.class);
  private ProcessorContext<String, SpecificRecord> context;
  private Embedder embedder;

  EmbedProcessor(EmbeddingModel model, EmbedMetrics metrics) {
    this.model = model;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.embedder = model.newEmbedder();
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ChunkTopicRecord value;
    try {
      value = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Failure.of("malformed-record", e.getMessage(), e));
      return;
    }
    if (value.getBody() instanceof DocumentManifest manifest) {
      forward(record, new VectorTopicRecord(manifest));
    } else if (value.getBody() instanceof Chunk chunk) {
      embed(record, chunk);
    }
  }

  private void embed(Record<String, byte[]> record, Chunk chunk) {
    if (chunk.getText().isBlank()) {
      deadLetter(record, Failure.of("empty-chunk", "chunk " + chunk.getChunkId() + " has no text"));
      return;
    }
    float[] vector;
    try {
      vector = metrics.modelCalls().record(() -> embedder.embedPassages(List.of(chunk.getText())).get(0));
    } catch (EmbeddingException e) {
      deadLetter(record, Failure.of("embedding-failed", "the model failed on chunk " + chunk.getChunkId() + ": " + e.getMessage(), e));
      return;
    }
    metrics.embedded(1);
    List<Float> boxed = new ArrayList<>(vector.length);
    for (float component : vector) {
      boxed.add(component);
    }
    forward(record, new VectorTopicRecord(new EmbeddedChunk(chunk, embedder.modelId(), boxed)));
  }

  private void forward(Record<String, byte[]> record, VectorTopicRecord value) {
    context.forward(record.withValue((SpecificRecord) value), EmbedTopology.VECTORS_SINK);
  }

  private void deadLetter(Record<String, byte[]> record, Failure failure) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    metrics.failed();
    DeadLetter letter = DeadLetters.of(STAGE, failure, Origin.of(context.recordMetadata()), record.key(), record.value(), Instant.now());
    context.forward(record.withValue((SpecificRecord) letter), EmbedTopology.DLQ_SINK);
  }

  @Override
  public void close() {
    if (embedder != null) {
      embedder.close();
    }
  }
}
