package dev.sluice.embed;

import dev.sluice.embed.BatchEmbedder.Outcome;
import dev.sluice.embedding.Embedder;
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
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds chunks in batches and forwards each, stamped with the model id, in the order the chunks
 * came; forwards manifests unchanged once every chunk before them is out, so a version's manifest
 * still follows its chunks.
 *
 * <p>A chunk whose vector is cached is forwarded at once when nothing is waiting before it.
 * Otherwise it joins the pending batch ({@link PendingChunks}, crash safe), which is embedded when
 * it holds {@code batchMaxSize} chunks, when its first chunk has waited {@code batchMaxWait}
 * (checked on every record and by a wall-clock punctuator), or when a manifest arrives. Texts
 * repeated within a batch are embedded once. Bad chunks go to the dead-letter topic: empty,
 * oversize, undecodable, or failing in the model even when embedded alone.
 *
 * <p>One embedder (DJL predictor) per task, on the model shared by the JVM.
 */
final class EmbedProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(EmbedProcessor.class);
  static final String STAGE = "embed";

  private final EmbeddingModel model;
  private final EmbedConfig config;
  private final EmbedMetrics metrics;
  private final LongSupplier wallClockMs;
  private final AvroSerdes.Codec<ChunkTopicRecord> codec = AvroSerdes.codec(ChunkTopicRecord.class);
  private ProcessorContext<String, SpecificRecord> context;
  private Embedder embedder;
  private String modelId;
  private PendingChunks pending;
  private ChunkVectors vectors;
  private long batchStartedMs;

  /**
   * @param wallClockMs the current time; not the processor context's, which is cached per loop of
   *     the stream thread and so lags by the length of a model call right after one. Measured from
   *     that, a batch begun just after a flush would look old at once and go nearly empty.
   */
  EmbedProcessor(EmbeddingModel model, EmbedConfig config, EmbedMetrics metrics, LongSupplier wallClockMs) {
    this.model = model;
    this.config = config;
    this.metrics = metrics;
    this.wallClockMs = wallClockMs;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.embedder = model.newEmbedder();
    this.modelId = embedder.modelId();
    this.pending = new PendingChunks(context.getStateStore(EmbedTopology.PENDING_STORE));
    EmbeddingCache cache = new EmbeddingCache(
        context.getStateStore(EmbedTopology.CACHE_STORE),
        context.getStateStore(EmbedTopology.CACHE_ORDER_STORE),
        modelId + "/" + model.tokenizer().windowTokens() + "/",
        config.cacheMaxEntries());
    this.vectors = new ChunkVectors(cache, new BatchEmbedder(embedder), metrics);
    // Chunks a previous owner left pending (crash, rebalance) wait at most one more max wait.
    this.batchStartedMs = wallClockMs.getAsLong();
    if (!config.batchMaxWait().isZero()) {
      context.schedule(config.batchMaxWait(), PunctuationType.WALL_CLOCK_TIME, cachedNow -> flushIfDue());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ChunkTopicRecord value;
    try {
      value = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Origin.of(context.recordMetadata()), Failure.of("malformed-record", e.getMessage(), e));
      return;
    }
    if (value.getBody() instanceof DocumentManifest manifest) {
      flush();
      context.forward(record.withValue(new VectorTopicRecord(manifest)), EmbedTopology.VECTORS_SINK);
    } else if (value.getBody() instanceof Chunk chunk) {
      accept(record, chunk);
    }
  }

  private void accept(Record<String, byte[]> record, Chunk chunk) {
    Optional<Failure> invalid = validate(chunk);
    if (invalid.isPresent()) {
      deadLetter(record, Origin.of(context.recordMetadata()), invalid.get());
      return;
    }
    long now = wallClockMs.getAsLong();
    if (pending.isEmpty()) {
      Optional<float[]> cached = vectors.cached(chunk);
      if (cached.isPresent()) {
        forward(record, chunk, cached.get());
        return;
      }
      batchStartedMs = now;
    }
    pending.add(PendingChunk.of(record, context.recordMetadata()));
    if (pending.size() >= config.batchMaxSize() || now - batchStartedMs >= config.batchMaxWait().toMillis()) {
      flush();
    }
  }

  private Optional<Failure> validate(Chunk chunk) {
    String text = chunk.getText();
    if (text.isBlank()) {
      return Optional.of(Failure.of("empty-chunk", "chunk " + chunk.getChunkId() + " has no text"));
    }
    if (text.length() > config.chunkMaxChars()) {
      return Optional.of(Failure.of("oversize-chunk", "chunk " + chunk.getChunkId() + " has " + text.length()
          + " characters, more than " + EmbedConfig.CHUNK_MAX_CHARS + "=" + config.chunkMaxChars()));
    }
    return Optional.empty();
  }

  private void flushIfDue() {
    if (!pending.isEmpty() && wallClockMs.getAsLong() - batchStartedMs >= config.batchMaxWait().toMillis()) {
      flush();
    }
  }

  /** Forwards every pending chunk in order, each with its vector or to dead letters, then clears them. */
  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<PendingChunk> batch = pending.all();
    List<Chunk> chunks = batch.stream().map(p -> (Chunk) codec.decode(p.record().value()).getBody()).toList();
    List<Outcome> outcomes = vectors.resolve(chunks);
    for (int i = 0; i < batch.size(); i++) {
      Record<String, byte[]> record = batch.get(i).record();
      switch (outcomes.get(i)) {
        case Outcome.Embedded embedded -> forward(record, chunks.get(i), embedded.vector());
        case Outcome.Failed failed -> deadLetter(record, batch.get(i).origin(), Failure.of("embedding-failed",
            "the model failed on this chunk alone: " + failed.error().getMessage(), failed.error()));
      }
    }
    pending.clear();
  }

  private void forward(Record<String, byte[]> record, Chunk chunk, float[] vector) {
    List<Float> boxed = new ArrayList<>(vector.length);
    for (float component : vector) {
      boxed.add(component);
    }
    EmbeddedChunk embedded = new EmbeddedChunk(chunk, modelId, boxed);
    context.forward(record.withValue(new VectorTopicRecord(embedded)), EmbedTopology.VECTORS_SINK);
  }

  private void deadLetter(Record<String, byte[]> record, Origin origin, Failure failure) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    metrics.failed();
    DeadLetter letter = DeadLetters.of(STAGE, failure, origin, record.key(), record.value(), Instant.now());
    context.forward(record.withValue(letter), EmbedTopology.DLQ_SINK);
  }

  // Pending chunks stay in their store: the next owner of this task embeds them.
  @Override
  public void close() {
    if (embedder != null) {
      embedder.close();
    }
  }
}
