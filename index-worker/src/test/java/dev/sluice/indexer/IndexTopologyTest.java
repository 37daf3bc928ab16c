package dev.sluice.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.Chunk;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.PointPayload;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index topology against a real Lucene index on disk, driven by TopologyTestDriver. */
class IndexTopologyTest {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final String MODEL = "test-model@00000000";

  @TempDir Path temp;
  private LuceneVectorIndex index;
  private LuceneDocumentRegistry registry;
  private TopologyTestDriver driver;
  private TestInputTopic<String, VectorTopicRecord> vectors;
  private TestInputTopic<String, byte[]> rawVectors;
  private TestInputTopic<String, DeadLetter> dlqIn;
  private TestOutputTopic<String, DeadLetter> dlqOut;

  @BeforeEach
  void start() {
    IndexConfig config = IndexConfig.from(Map.of("index.dir", temp.resolve("index").toString(), "streams.state.dir", temp.resolve("state").toString()));
    index = LuceneVectorIndex.openWritable(IndexLayout.points(config.indexDir()));
    registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(config.indexDir()));
    Properties props = config.streams().toStreamsProperties();
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(IndexTopology.build(config, index, registry, new SimpleMeterRegistry()), props);
    vectors = driver.createInputTopic(TOPICS.vectors().name(), Serdes.String().serializer(), TOPICS.vectors().valueSerde().serializer());
    rawVectors = driver.createInputTopic(TOPICS.vectors().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    dlqIn = driver.createInputTopic(TOPICS.dlq().name(), Serdes.String().serializer(), TOPICS.dlq().valueSerde().serializer());
    dlqOut = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(), TOPICS.dlq().valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    index.close();
    registry.close();
  }

  private static DocumentInfo info() {
    return DocumentInfo.newBuilder().setSource("file:///doc.txt").setEventTime(Instant.now().minusSeconds(2)).build();
  }

  private static List<Float> vector(int seed) {
    List<Float> v = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      v.add(i == seed % 8 ? 1f : 0f);
    }
    return v;
  }

  private void chunk(long version, String id, int ordinal, String model) {
    Chunk chunk = Chunk.newBuilder().setTenant("acme").setDocId("doc.txt").setDocVersion(version).setChunkId(id).setOrdinal(ordinal)
        .setText("text of " + id).setContentHash("hash-" + id).setTokenCount(5).setDocument(info()).build();
    vectors.pipeInput("acme/doc.txt", new VectorTopicRecord(new EmbeddedChunk(chunk, model, vector(ordinal))));
  }

  private void manifest(long version, Operation op, String... ids) {
    vectors.pipeInput("acme/doc.txt", new VectorTopicRecord(DocumentManifest.newBuilder().setTenant("acme").setDocId("doc.txt")
        .setDocVersion(version).setOp(op).setChunkIds(List.of(ids)).setDocument(info()).build()));
  }

  private List<String> pointIds() {
    return index.documentPoints("acme", "doc.txt").stream().map(PointPayload::chunkId).toList();
  }

  private DocumentStatus status() {
    return registry.get("acme", "doc.txt").orElseThrow();
  }

  @Test
  void versionIsIndexedThenTheNextOneRetiresWhatItNoLongerHas() {
    chunk(1, "a", 0, MODEL);
    chunk(1, "b", 1, MODEL);
    manifest(1, Operation.UPSERT, "a", "b");
    assertThat(pointIds()).containsExactly("a", "b");
    assertThat(status().state()).isEqualTo(State.INDEXED);
    assertThat(status().chunks()).isEqualTo(2);

    chunk(2, "a", 0, MODEL);
    chunk(2, "c", 1, MODEL);
    assertThat(pointIds()).as("before the manifest the old version is still whole").contains("a", "b", "c");
    manifest(2, Operation.UPSERT, "a", "c");
    assertThat(pointIds()).containsExactly("a", "c");
    assertThat(status().version()).isEqualTo(2L);
    assertThat(index.documentPoints("acme", "doc.txt")).allSatisfy(p -> assertThat(p.docVersion()).isEqualTo(2L));
  }

  @Test
  void replayingAVersionChangesNothing() {
    for (int replay = 0; replay < 2; replay++) {
      chunk(1, "a", 0, MODEL);
      chunk(1, "b", 1, MODEL);
      manifest(1, Operation.UPSERT, "a", "b");
    }
    assertThat(pointIds()).containsExactly("a", "b");
    assertThat(index.count()).isEqualTo(2);
  }

  @Test
  void deleteRemovesTheDocumentFromSearchAndMarksItDeleted() {
    chunk(1, "a", 0, MODEL);
    manifest(1, Operation.UPSERT, "a");
    manifest(2, Operation.DELETE);
    assertThat(index.count()).isZero();
    assertThat(status().state()).isEqualTo(State.DELETED);
  }

  @Test
  void olderVersionArrivingLateIsIgnored() {
    chunk(3, "new", 0, MODEL);
    manifest(3, Operation.UPSERT, "new");
    chunk(2, "old", 0, MODEL);
    manifest(2, Operation.UPSERT, "old");
    assertThat(pointIds()).containsExactly("new");
    assertThat(status().version()).isEqualTo(3L);
  }

  @Test
  void vectorOfAnotherModelIsRejectedToDeadLetters() {
    chunk(1, "a", 0, MODEL);
    chunk(1, "b", 1, "other-model@11111111");
    DeadLetter letter = dlqOut.readValue();
    assertThat(letter.getStage()).isEqualTo("index");
    assertThat(letter.getReason()).isEqualTo("model-mismatch");
    assertThat(pointIds()).containsExactly("a");
  }

  @Test
  void malformedRecordGoesToDeadLetters() {
    rawVectors.pipeInput("acme/doc.txt", "nope".getBytes(StandardCharsets.UTF_8));
    assertThat(dlqOut.readValue().getReason()).isEqualTo("malformed-record");
  }

  @Test
  void deadLetterOfAnotherStageMarksTheDocumentFailedWithItsReason() {
    DeadLetter letter = DeadLetter.newBuilder().setStage("ingest").setReason("encrypted").setMessage("the document is encrypted")
        .setTopic("documents").setPartition(0).setOffset(7).setKey("acme/doc.txt").setFailedAt(Instant.now())
        .setTenant("acme").setDocId("doc.txt").setDocVersion(4L).build();
    dlqIn.pipeInput("acme/doc.txt", letter);
    DocumentStatus status = status();
    assertThat(status.state()).isEqualTo(State.FAILED);
    assertThat(status.failure()).hasValueSatisfying(f -> {
      assertThat(f.stage()).isEqualTo("ingest");
      assertThat(f.reason()).isEqualTo("encrypted");
    });
  }

  @Test
  void operatorAndStoreNamesAreStable() {
    String description = IndexTopology.build(IndexConfig.from(Map.of()), index, registry, new SimpleMeterRegistry()).describe().toString();
    assertThat(description).contains("Source: vectors-source (topics: [vectors])").contains("Processor: index-vector (stores: [index-commit])")
        .contains("Source: dlq-source (topics: [dlq])").contains("Processor: record-failure (stores: [index-commit])")
        .contains("Sink: dlq-sink (topic: dlq)");
  }
}
