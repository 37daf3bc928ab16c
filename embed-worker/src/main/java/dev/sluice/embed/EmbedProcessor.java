package dev.sluice.embed;

import dev.sluice.embed.BatchEmbedder.Outcome;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.EngineFailureException;
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
import dev.sluice.schemas.ReasonCode;
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
 * oversize, undecodable, or the model's own failures on them ({@link BatchEmbedder} says when a
 * failure is a chunk's); each dead letter names the document version it belongs to.
 *
 * <p>When the model runtime itself fails on a batch, no chunk is dead-lettered: the {@link
 * EngineFailureException} propagates (streams-runtime counts it as an infrastructure failure, see
 * {@link EmbedConfig}), the task fails and replays after a backoff, and the pending batch is left as
 * it was. The chunk being processed is stored in the batch only when it is to wait, not before it
 * is embedded: should its attempts run out, the failure policy dead-letters and skips its record,
 * and a copy left pending would be embedded all the same. A batch that a manifest flushes stays
 * pending when the manifest is skipped so; one the punctuator flushes has no record to skip, and its
 * task replays for as long as the engine fails.
 *
 * <p>One embedder (DJL predictor) per task, on the model shared by the JVM.
 */
final class EmbedProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(EmbedProcessor.class);
  static final String STAGE = ReasonCode.Stage.EMBED.wireName();

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
      deadLetter(record, Origin.of(context.recordMetadata()),
          Failure.of(ReasonCode.MALFORMED_RECORD.code(), e.getMessage(), e), Optional.empty());
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
      deadLetter(record, Origin.of(context.recordMetadata()), invalid.get(), Optional.of(chunk));
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
    PendingChunk arriving = PendingChunk.of(record, context.recordMetadata());
    if (pending.size() + 1 >= config.batchMaxSize() || now - batchStartedMs >= config.batchMaxWait().toMillis()) {
      // Not stored first: should the engine fail, this record must leave no trace (class comment).
      List<PendingChunk> batch = new ArrayList<>(pending.all());
      batch.add(arriving);
      embedAndForward(batch);
      pending.clear();
    } else {
      pending.add(arriving);
    }
  }

  private Optional<Failure> validate(Chunk chunk) {
    String text = chunk.getText();
    if (text.isBlank()) {
      return Optional.of(Failure.of(ReasonCode.EMPTY_CHUNK.code(), "chunk " + chunk.getChunkId() + " has no text"));
    }
    if (text.length() > config.chunkMaxChars()) {
      return Optional.of(Failure.of(ReasonCode.OVERSIZE_CHUNK.code(), "chunk " + chunk.getChunkId() + " has " + text.length()
          + " characters, more than " + EmbedConfig.CHUNK_MAX_CHARS + "=" + config.chunkMaxChars()));
    }
    return Optional.empty();
  }

  private void flushIfDue() {
    if (!pending.isEmpty() && wallClockMs.getAsLong() - batchStartedMs >= config.batchMaxWait().toMillis()) {
      flush();
    }
  }

  /**
   * Forwards every pending chunk in order, each with its vector or to dead letters, then clears them.
   *
   * @throws EngineFailureException when the model runtime fails; the chunks stay pending
   */
  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    embedAndForward(pending.all());
    pending.clear();
  }

  /**
   * Embeds a batch and forwards its chunks in order, each with its vector or to dead letters.
   *
   * @throws EngineFailureException when the model runtime fails, having forwarded nothing
   */
  private void embedAndForward(List<PendingChunk> batch) {
    List<Chunk> chunks = batch.stream().map(p -> (Chunk) codec.decode(p.record().value()).getBody()).toList();
    List<Outcome> outcomes = vectors.resolve(chunks);
    for (int i = 0; i < batch.size(); i++) {
      Record<String, byte[]> record = batch.get(i).record();
      switch (outcomes.get(i)) {
        case Outcome.Embedded embedded -> forward(record, chunks.get(i), embedded.vector());
        case Outcome.Failed failed ->
            deadLetter(record, batch.get(i).origin(), modelFailure(failed), Optional.of(chunks.get(i)));
      }
    }
  }

  private static Failure modelFailure(Outcome.Failed failed) {
    String why = failed.rejected()
        ? "the model rejected this chunk's text as input: "
        : "the model failed on this chunk alone while the rest of its batch was embedded: ";
    return Failure.of(ReasonCode.EMBEDDING_FAILED.code(), why + failed.error().getMessage(), failed.error());
  }

  private void forward(Record<String, byte[]> record, Chunk chunk, float[] vector) {
    List<Float> boxed = new ArrayList<>(vector.length);
    for (float component : vector) {
      boxed.add(component);
    }
    EmbeddedChunk embedded = new EmbeddedChunk(chunk, modelId, boxed);
    context.forward(record.withValue(new VectorTopicRecord(embedded)), EmbedTopology.VECTORS_SINK);
  }

  /**
   * @param chunk the chunk, when the record could be decoded; without it, tenant and docId come from
   *     the record key alone, when it is one
   */
  private void deadLetter(Record<String, byte[]> record, Origin origin, Failure failure, Optional<Chunk> chunk) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    metrics.failed();
    DeadLetter letter = DeadLetters.of(STAGE, failure, origin, record.key(), record.value(), Instant.now());
    // The index worker records the failure against this version only with it: without it, a document
    // with an older version indexed ignores the failure and reports its chunks missing instead.
    chunk.ifPresent(c -> {
      letter.setTenant(c.getTenant());
      letter.setDocId(c.getDocId());
      letter.setDocVersion(c.getDocVersion());
    });
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
