package dev.sluice.indexer.it;

import dev.sluice.events.Chunk;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.schemas.TopicCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes document versions straight to the vectors topic, as the embed worker would: each chunk
 * with a deterministic vector of its content, then the version's manifest. Chunk {@code n} of a
 * document has the same id and vector in every version that contains it, like an unchanged paragraph.
 */
final class VectorRecords implements AutoCloseable {
  static final String MODEL = "crash-model@00000001";
  static final int DIMENSION = 16;
  static final String TENANT = "acme";

  private final TopicCatalogue topics = TopicCatalogue.withPrefix("");
  private final KafkaProducer<String, VectorTopicRecord> producer;

  VectorRecords(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    producer = new KafkaProducer<>(p, topics.vectors().keySerde().serializer(), topics.vectors().valueSerde().serializer());
  }

  static String chunkId(String docId, int content) {
    return UUID.nameUUIDFromBytes((TENANT + "/" + docId + "#" + content).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Version {@code version} of {@code docId} holding chunks {@code from} (inclusive) to {@code to} (exclusive). */
  void upsert(String docId, long version, int from, int to) {
    DocumentInfo info = info(docId);
    List<String> ids = new ArrayList<>();
    for (int content = from; content < to; content++) {
      String id = chunkId(docId, content);
      ids.add(id);
      Chunk chunk = Chunk.newBuilder().setTenant(TENANT).setDocId(docId).setDocVersion(version).setChunkId(id)
          .setOrdinal(content - from).setText("chunk " + content + " of " + docId + " about subject " + (content % 97))
          .setContentHash("hash-" + content).setTokenCount(12).setDocument(info).build();
      send(docId, new VectorTopicRecord(new EmbeddedChunk(chunk, MODEL, vector(docId, content))));
    }
    send(docId, new VectorTopicRecord(DocumentManifest.newBuilder().setTenant(TENANT).setDocId(docId).setDocVersion(version)
        .setOp(Operation.UPSERT).setChunkIds(ids).setDocument(info).build()));
  }

  void delete(String docId, long version) {
    send(docId, new VectorTopicRecord(DocumentManifest.newBuilder().setTenant(TENANT).setDocId(docId).setDocVersion(version)
        .setOp(Operation.DELETE).setChunkIds(List.of()).setDocument(info(docId)).build()));
  }

  void flush() {
    producer.flush();
  }

  private void send(String docId, VectorTopicRecord value) {
    try {
      producer.send(new ProducerRecord<>(topics.vectors().name(), TENANT + "/" + docId, value));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot produce to the vectors topic", e);
    }
  }

  private static DocumentInfo info(String docId) {
    return DocumentInfo.newBuilder().setSource("test:" + docId).setEventTime(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  private static List<Float> vector(String docId, int content) {
    Random random = new Random(docId.hashCode() * 31L + content);
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    List<Float> vector = new ArrayList<>(DIMENSION);
    for (float component : v) {
      vector.add((float) (component / Math.sqrt(norm)));
    }
    return vector;
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(30));
  }

}
