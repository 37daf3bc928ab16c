package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.schemas.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of an exactly-once embed worker in the middle of a batch, then a restart on the same
 * state dir: every chunk ends in the committed vectors topic exactly once, each manifest after its
 * chunks.
 *
 * <p>Why a child JVM killed by SIGKILL: it is what a crash is. The process gets no chance to
 * close, commit, flush a store or abort its transaction; the broker and the next instance must
 * sort it out. ({@code KafkaStreams.close} would commit; {@code Runtime.halt} would take the test
 * JVM down.) Where the kill lands is set by construction, not by timing: the first half of the
 * documents is embedded and committed; the chunks of the second half are consumed, their offsets
 * committed, and they wait in the pending batch until the max wait, when the worker freezes inside
 * the model call embedding them; then it is killed. A worker that kept its batch only in memory
 * would never embed them again.
 */
class EmbedCrashRecoveryIT {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final int DOCUMENTS = 6;
  private static final int CHUNKS_PER_DOCUMENT = 16;
  private static final int CHUNKS = DOCUMENTS * CHUNKS_PER_DOCUMENT;
  private static final String SECOND_HALF = "second half";
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  // The workers' logs stay in target/ for whoever has to read why this failed.
  private static final Path LOGS = Path.of("target", "embed-crash-it");

  @TempDir Path temp;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void aKillMidBatchThenARestartEmbedsEveryChunkExactlyOnce() throws Exception {
    EmbeddedKafkaConfig brokerConfig = new EmbeddedKafkaConfig(temp.resolve("kafka"), 0,
        List.of(TOPICS.chunks().name(), TOPICS.vectors().name(), TOPICS.dlq().name()), 2);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(brokerConfig);
        KafkaProducer<String, ChunkTopicRecord> producer = producer(kafka)) {
      Path stateDir = temp.resolve("streams");
      Process crashing = startWorker(kafka, stateDir, LOGS.resolve("first.log"), SECOND_HALF);
      for (int d = 0; d < DOCUMENTS / 2; d++) {
        produceDocument(producer, d, true);
      }
      int firstHalf = CHUNKS / 2 + DOCUMENTS / 2;
      assertThat(readVectors(kafka, "read_committed", r -> r.size() == firstHalf, TIMEOUT, crashing))
          .as("first half embedded; worker log in %s", LOGS).hasSize(firstHalf);

      for (int d = DOCUMENTS / 2; d < DOCUMENTS; d++) {
        produceDocument(producer, d, false);
      }
      awaitLine(LOGS.resolve("first.log"), EmbedWorkerProcess.FROZEN, crashing);
      assertThat(uncommittedInput(kafka)).as("chunks consumed and committed, not yet embedded").isZero();
      crashing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(readVectors(kafka, "read_committed", r -> true, Duration.ofSeconds(5))).as("output when killed").hasSize(firstHalf);

      for (int d = DOCUMENTS / 2; d < DOCUMENTS; d++) {
        producer.send(new ProducerRecord<>(TOPICS.chunks().name(), key(d), new ChunkTopicRecord(manifest(d)))).get();
      }
      Process restarted = startWorker(kafka, stateDir, LOGS.resolve("second.log"), "");
      readVectors(kafka, "read_committed", all -> chunkIds(all).size() >= CHUNKS && manifests(all) == DOCUMENTS, TIMEOUT, restarted);
      restarted.destroy();
      assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).as("clean stop on SIGTERM").isTrue();
      List<ConsumerRecord<String, VectorTopicRecord>> committed = readVectors(kafka, "read_committed", r -> true, Duration.ofSeconds(5));

      Map<String, Long> timesEach = chunkIds(committed).stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
      assertThat(timesEach).as("chunks embedded; worker logs in %s", LOGS).hasSize(CHUNKS);
      assertThat(timesEach).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1L));
      assertThat(manifests(committed)).isEqualTo(DOCUMENTS);
      assertEachManifestFollowsItsChunks(committed);
    }
  }

  private static void assertEachManifestFollowsItsChunks(List<ConsumerRecord<String, VectorTopicRecord>> records) {
    Map<String, List<String>> seenByKey = new HashMap<>();
    for (ConsumerRecord<String, VectorTopicRecord> record : records) {
      List<String> seen = seenByKey.computeIfAbsent(record.key(), k -> new ArrayList<>());
      if (record.value().getBody() instanceof DocumentManifest manifest) {
        assertThat(seen).as("chunks before the manifest of %s", record.key()).containsExactlyElementsOf(manifest.getChunkIds());
      } else {
        EmbeddedChunk embedded = (EmbeddedChunk) record.value().getBody();
        assertThat(embedded.getVector()).hasSize(384);
        seen.add(embedded.getChunk().getChunkId());
      }
    }
  }

  private static KafkaProducer<String, ChunkTopicRecord> producer(EmbeddedKafka kafka) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(props, TOPICS.chunks().keySerde().serializer(), TOPICS.chunks().valueSerde().serializer());
  }

  private static void produceDocument(KafkaProducer<String, ChunkTopicRecord> producer, int doc, boolean withManifest)
      throws Exception {
    for (int c = 0; c < CHUNKS_PER_DOCUMENT; c++) {
      producer.send(new ProducerRecord<>(TOPICS.chunks().name(), key(doc), new ChunkTopicRecord(chunk(doc, c))));
    }
    if (withManifest) {
      producer.send(new ProducerRecord<>(TOPICS.chunks().name(), key(doc), new ChunkTopicRecord(manifest(doc))));
    }
    producer.flush();
  }

  private static String key(int doc) {
    return "it/doc-" + doc;
  }

  private static String chunkId(int doc, int ordinal) {
    return "doc-" + doc + "-chunk-" + ordinal;
  }

  private static DocumentManifest manifest(int doc) {
    List<String> ids = IntStream.range(0, CHUNKS_PER_DOCUMENT).mapToObj(c -> chunkId(doc, c)).toList();
    return DocumentManifest.newBuilder().setTenant("it").setDocId("doc-" + doc).setDocVersion(1)
        .setOp(Operation.UPSERT).setChunkIds(ids).setDocument(info()).build();
  }

  /** Records of the chunks topic the worker's group has not committed as consumed. */
  private static long uncommittedInput(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(EmbedWorkerProcess.APPLICATION_ID).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < 2; p++) {
        latest.put(new TopicPartition(TOPICS.chunks().name(), p), OffsetSpec.latest());
      }
      long behind = 0;
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        behind += end.getValue().offset() - (at == null ? 0 : at.offset());
      }
      return behind;
    }
  }

  // Distinct texts; the second half's carry the marker the first worker freezes on.
  private static Chunk chunk(int doc, int ordinal) {
    String half = doc < DOCUMENTS / 2 ? "first half" : SECOND_HALF;
    String text = "Document " + doc + " (" + half + "), paragraph " + ordinal
        + ": the harbour keeper inspects the copper lantern near the northern archive while the ferry waits.";
    return Chunk.newBuilder().setTenant("it").setDocId("doc-" + doc).setDocVersion(1).setChunkId(chunkId(doc, ordinal))
        .setOrdinal(ordinal)
        .setText(text).setContentHash(EmbedDriver.hash(text)).setTokenCount(40).setDocument(info()).build();
  }

  private static DocumentInfo info() {
    return DocumentInfo.newBuilder().setSource("it").setEventTime(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  private Process startWorker(EmbeddedKafka kafka, Path stateDir, Path log, String freezeOn) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Files.createDirectories(LOGS);
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", classpath, EmbedWorkerProcess.class.getName(),
        kafka.bootstrapServers(), stateDir.toString(), freezeOn)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(process);
    return process;
  }

  private static void awaitLine(Path log, String marker, Process process) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(marker)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("worker exited with " + process.exitValue() + " before '" + marker + "'; see " + log);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + marker + "' within " + TIMEOUT + "; see " + log);
  }

  private static List<ConsumerRecord<String, VectorTopicRecord>> readVectors(
      EmbeddedKafka kafka, String isolation, Predicate<List<ConsumerRecord<String, VectorTopicRecord>>> done, Duration wait) {
    return readVectors(kafka, isolation, done, wait, null);
  }

  /**
   * Reads the vectors topic from the start until {@code done} holds, for {@code wait} at most, or
   * until the worker producing them (when given) dies.
   */
  private static List<ConsumerRecord<String, VectorTopicRecord>> readVectors(EmbeddedKafka kafka, String isolation,
      Predicate<List<ConsumerRecord<String, VectorTopicRecord>>> done, Duration wait, Process worker) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, VectorTopicRecord>> records = new ArrayList<>();
    try (KafkaConsumer<String, VectorTopicRecord> consumer =
        new KafkaConsumer<>(props, TOPICS.vectors().keySerde().deserializer(), TOPICS.vectors().valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.vectors().name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + wait.toNanos();
      do {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        if (done.test(records) && caughtUp(consumer, partitions)) {
          break;
        }
      } while (System.nanoTime() < deadline && (worker == null || worker.isAlive()));
    }
    return records;
  }

  // Under read_committed, the end offsets are the last stable offsets.
  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
  }

  private static List<String> chunkIds(List<ConsumerRecord<String, VectorTopicRecord>> records) {
    return records.stream().map(r -> r.value().getBody()).filter(EmbeddedChunk.class::isInstance)
        .map(b -> ((EmbeddedChunk) b).getChunk().getChunkId()).toList();
  }

  private static long manifests(List<ConsumerRecord<String, VectorTopicRecord>> records) {
    return records.stream().filter(r -> r.value().getBody() instanceof DocumentManifest).count();
  }
}
