package dev.sluice.ingest;

import dev.sluice.embedding.ModelTokenizer;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.DocumentProgress;
import dev.sluice.events.Operation;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The ingest topology under TopologyTestDriver, with real Tika and the real tokenizer. */
final class IngestDriver implements AutoCloseable {
  static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, DocumentEvent> documents;
  final TestInputTopic<String, byte[]> rawDocuments;
  final TestOutputTopic<String, ChunkTopicRecord> chunks;
  final TestOutputTopic<String, DeadLetter> dlq;
  final TestOutputTopic<String, DocumentProgress> progress;

  /**
   * @param stateDir where the stores live
   * @param settings raw settings on top of at-least-once and {@code stateDir}
   */
  IngestDriver(ModelTokenizer tokenizer, Path stateDir, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("streams.state.dir", stateDir.toString());
    IngestConfig config = IngestConfig.from(all);
    Properties props = config.streams().toStreamsProperties();
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    driver = new TopologyTestDriver(IngestTopology.build(config, tokenizer, registry), props);
    documents = driver.createInputTopic(TOPICS.documents().name(), Serdes.String().serializer(), TOPICS.documents().valueSerde().serializer());
    rawDocuments = driver.createInputTopic(TOPICS.documents().name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    chunks = driver.createOutputTopic(TOPICS.chunks().name(), Serdes.String().deserializer(), TOPICS.chunks().valueSerde().deserializer());
    dlq = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(), TOPICS.dlq().valueSerde().deserializer());
    progress = driver.createOutputTopic(TOPICS.progress().name(), Serdes.String().deserializer(),
        TOPICS.progress().valueSerde().deserializer());
  }

  static DocumentEvent.Builder upsert(String docId, long version, String text) {
    return upsert(docId, version, text.getBytes(StandardCharsets.UTF_8));
  }

  static DocumentEvent.Builder upsert(String docId, long version, byte[] content) {
    return DocumentEvent.newBuilder().setTenant("acme").setDocId(docId).setOp(Operation.UPSERT).setVersion(version)
        .setEventTime(Instant.now()).setSource("file:///" + docId).setContent(ByteBuffer.wrap(content));
  }

  static DocumentEvent.Builder byReference(String docId, long version, String reference) {
    return DocumentEvent.newBuilder(upsert(docId, version, "").build()).setContent(null).setContentRef(reference);
  }

  static DocumentEvent delete(String docId, long version) {
    return DocumentEvent.newBuilder(upsert(docId, version, "").build()).setOp(Operation.DELETE).setContent(null).build();
  }

  void send(DocumentEvent event) {
    documents.pipeInput(event.getTenant() + "/" + event.getDocId(), event);
  }

  List<ChunkTopicRecord> drainChunks() {
    return chunks.readValuesToList();
  }

  static DocumentManifest manifestOf(List<ChunkTopicRecord> records) {
    if (records.isEmpty() || !(records.get(records.size() - 1).getBody() instanceof DocumentManifest manifest)) {
      throw new AssertionError("expected the version to end with its manifest, got " + records.size() + " records");
    }
    return manifest;
  }

  static List<Chunk> chunksOf(List<ChunkTopicRecord> records) {
    return records.stream().filter(r -> r.getBody() instanceof Chunk).map(r -> (Chunk) r.getBody()).toList();
  }

  /** Count of {@code sluice.ingest.documents{result}}. */
  double documents(String result) {
    Counter counter = registry.find("sluice.ingest.documents").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
