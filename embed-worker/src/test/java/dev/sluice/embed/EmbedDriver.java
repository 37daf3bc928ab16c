package dev.sluice.embed;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.runtime.failure.FailurePolicy;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The embed topology on a TopologyTestDriver, with the real model, and chunk builders. */
final class EmbedDriver implements AutoCloseable {
  static final String KEY = "acme/doc.txt";
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, ChunkTopicRecord> chunks;
  private final TestInputTopic<String, byte[]> rawChunks;
  private final TestOutputTopic<String, VectorTopicRecord> vectors;
  private final TestOutputTopic<String, DeadLetter> dlq;

  /** Dead letters written by the failure policy of this driver's own (retries exhausted, ...). */
  final List<DeadLetter> policyLetters = new CopyOnWriteArrayList<>();

  /** @param settings embed-worker settings on top of a state dir under {@code stateDir} */
  EmbedDriver(Path stateDir, EmbeddingModel model, Map<String, String> settings) {
    this(config(stateDir, settings), model, Optional.empty());
  }

  /**
   * @param policy the failure policy of the Kafka Streams client this driver stands in for: drivers
   *     given the same one share its attempt counts, as the replaced stream threads of one client do
   */
  EmbedDriver(EmbedConfig config, EmbeddingModel model, FailurePolicy policy) {
    this(config, model, Optional.of(policy));
  }

  private EmbedDriver(EmbedConfig config, EmbeddingModel model, Optional<FailurePolicy> policy) {
    Properties props = config.streams()
        .toStreamsProperties(policy.orElseGet(() -> config.streams().failurePolicy(policyLetters::add)));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    // The processor and the driver's punctuation schedule read one clock, which only tests move.
    driver = new TopologyTestDriver(EmbedTopology.build(config, model, meters, now::get), props, Instant.ofEpochMilli(now.get()));
    chunks = driver.createInputTopic(TOPICS.chunks().name(), Serdes.String().serializer(), TOPICS.chunks().valueSerde().serializer());
    rawChunks = driver.createInputTopic(TOPICS.chunks().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    vectors = driver.createOutputTopic(TOPICS.vectors().name(), Serdes.String().deserializer(), TOPICS.vectors().valueSerde().deserializer());
    dlq = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(), TOPICS.dlq().valueSerde().deserializer());
  }

  /** The embed-worker's configuration from {@code settings}, with its state under {@code stateDir}. */
  static EmbedConfig config(Path stateDir, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("streams.state.dir", stateDir.toString());
    return EmbedConfig.from(all);
  }

  void pipe(Chunk... chunk) {
    for (Chunk c : chunk) {
      chunks.pipeInput(KEY, new ChunkTopicRecord(c));
    }
  }

  void pipe(DocumentManifest manifest) {
    chunks.pipeInput(KEY, new ChunkTopicRecord(manifest));
  }

  void pipeRaw(byte[] value) {
    rawChunks.pipeInput(KEY, value);
  }

  void advanceWallClock(Duration duration) {
    now.addAndGet(duration.toMillis());
    driver.advanceWallClockTime(duration);
  }

  List<VectorTopicRecord> vectors() {
    return vectors.readValuesToList();
  }

  List<DeadLetter> deadLetters() {
    return dlq.readValuesToList();
  }

  double chunksCounted(String result) {
    return meters.counter("sluice.embed.chunks", "result", result).count();
  }

  double engineFailures() {
    return meters.counter("sluice.embed.engine.failures").count();
  }

  /** Number of model calls, and texts in them. */
  long modelCalls() {
    return meters.summary("sluice.embed.batch.size").count();
  }

  static Chunk chunk(String id, String text) {
    return Chunk.newBuilder().setTenant("acme").setDocId("doc.txt").setDocVersion(1).setChunkId(id).setOrdinal(0)
        .setText(text).setContentHash(hash(text)).setTokenCount(10).setDocument(info()).build();
  }

  static DocumentManifest manifest(String... chunkIds) {
    return DocumentManifest.newBuilder().setTenant("acme").setDocId("doc.txt").setDocVersion(1)
        .setOp(Operation.UPSERT).setChunkIds(List.of(chunkIds)).setDocument(info()).build();
  }

  static DocumentInfo info() {
    return DocumentInfo.newBuilder().setSource("file:///doc.txt").setEventTime(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  static String chunkId(VectorTopicRecord record) {
    return ((EmbeddedChunk) record.getBody()).getChunk().getChunkId();
  }

  static List<Float> vector(VectorTopicRecord record) {
    return ((EmbeddedChunk) record.getBody()).getVector();
  }

  // As the ingest service hashes a chunk's normalised text.
  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM provides SHA-256", e);
    }
  }

  @Override
  public void close() {
    driver.close();
  }
}
