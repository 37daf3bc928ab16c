package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embed topology with the real model, driven by TopologyTestDriver. */
class EmbedTopologyTest {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static EmbeddingModel model;

  @TempDir Path temp;
  private TopologyTestDriver driver;
  private SimpleMeterRegistry meters;
  private TestInputTopic<String, ChunkTopicRecord> chunks;
  private TestInputTopic<String, byte[]> rawChunks;
  private TestOutputTopic<String, VectorTopicRecord> vectors;
  private TestOutputTopic<String, DeadLetter> dlq;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @BeforeEach
  void start() {
    EmbedConfig config = EmbedConfig.from(Map.of("streams.state.dir", temp.toString()));
    Properties props = config.streams().toStreamsProperties();
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    meters = new SimpleMeterRegistry();
    driver = new TopologyTestDriver(EmbedTopology.build(config, model, meters), props);
    chunks = driver.createInputTopic(TOPICS.chunks().name(), Serdes.String().serializer(), TOPICS.chunks().valueSerde().serializer());
    rawChunks = driver.createInputTopic(TOPICS.chunks().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    vectors = driver.createOutputTopic(TOPICS.vectors().name(), Serdes.String().deserializer(), TOPICS.vectors().valueSerde().deserializer());
    dlq = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(), TOPICS.dlq().valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  static DocumentInfo info() {
    return DocumentInfo.newBuilder().setSource("file:///doc.txt").setEventTime(Instant.now()).build();
  }

  static Chunk chunk(String id, int ordinal, String text) {
    return Chunk.newBuilder().setTenant("acme").setDocId("doc.txt").setDocVersion(1).setChunkId(id).setOrdinal(ordinal)
        .setText(text).setContentHash("h" + id).setTokenCount(10).setDocument(info()).build();
  }

  @Test
  void chunksAreEmbeddedAndTheManifestFollowsThemInOrder() {
    chunks.pipeInput("acme/doc.txt", new ChunkTopicRecord(chunk("c1", 0, "Kafka Streams processes records in order.")));
    chunks.pipeInput("acme/doc.txt", new ChunkTopicRecord(chunk("c2", 1, "Lucene builds an HNSW graph of vectors.")));
    DocumentManifest manifest = DocumentManifest.newBuilder().setTenant("acme").setDocId("doc.txt").setDocVersion(1)
        .setOp(Operation.UPSERT).setChunkIds(List.of("c1", "c2")).setDocument(info()).build();
    chunks.pipeInput("acme/doc.txt", new ChunkTopicRecord(manifest));

    List<VectorTopicRecord> out = vectors.readValuesToList();
    assertThat(out).hasSize(3);
    EmbeddedChunk first = (EmbeddedChunk) out.get(0).getBody();
    assertThat(first.getChunk().getChunkId()).isEqualTo("c1");
    assertThat(first.getModelId()).isEqualTo(model.modelId()).startsWith("all-minilm-l6-v2@");
    assertThat(first.getVector()).hasSize(384);
    double norm = Math.sqrt(first.getVector().stream().mapToDouble(f -> f * f).sum());
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(((EmbeddedChunk) out.get(1).getBody()).getChunk().getChunkId()).isEqualTo("c2");
    assertThat(out.get(2).getBody()).isEqualTo(manifest);
    assertThat(meters.counter("sluice.embed.chunks", "result", "embedded").count()).isEqualTo(2.0);
  }

  @Test
  void malformedAndEmptyChunksGoToDeadLettersWithTheirReason() {
    rawChunks.pipeInput("acme/doc.txt", "garbage".getBytes(StandardCharsets.UTF_8));
    chunks.pipeInput("acme/doc.txt", new ChunkTopicRecord(chunk("c3", 0, "   ")));
    chunks.pipeInput("acme/doc.txt", new ChunkTopicRecord(chunk("c4", 1, "Still embedded after two bad records.")));
    assertThat(dlq.readValuesToList()).extracting(DeadLetter::getStage, DeadLetter::getReason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("embed", "malformed-record"), org.assertj.core.groups.Tuple.tuple("embed", "empty-chunk"));
    assertThat(vectors.readValuesToList()).hasSize(1);
  }

  @Test
  void operatorNamesAreStable() {
    String description = EmbedTopology.build(EmbedConfig.from(Map.of()), model, new SimpleMeterRegistry()).describe().toString();
    assertThat(description).contains("Source: chunks-source (topics: [chunks])").contains("Processor: embed-chunk")
        .contains("Sink: vectors-sink (topic: vectors)").contains("Sink: dlq-sink (topic: dlq)");
  }
}
