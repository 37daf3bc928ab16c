package dev.sluice.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.PointPayload;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.indexer.IndexWorker;
import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real index worker (its own JVM, {@code kill -9}) while large documents swap versions,
 * restarts it each time, and compares the index it ends with against a clean run's over the same
 * records: same point ids, same payload versions and delete flags, same document statuses.
 */
class IndexCrashIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final List<String> DOCS = List.of("big", "small", "kept");

  @TempDir static Path temp;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(temp.resolve("kafka"), 0, TOPICS.allNames(), 2));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** A point as the comparison sees it: what must be equal, not when it was written. */
  record PointState(long docVersion, boolean deleted, boolean staged) {}

  @Test
  void anIndexWorkerKilledMidSwapEndsWhereACleanRunEnds() throws Exception {
    try (VectorRecords records = new VectorRecords(kafka.bootstrapServers())) {
      records.upsert("big", 1, 0, 2000);
      records.upsert("small", 1, 0, 50);
      records.upsert("kept", 1, 0, 30);
      records.upsert("big", 2, 1000, 3000);
      records.delete("small", 2);
      records.upsert("big", 3, 1500, 3500);
      records.upsert("kept", 2, 10, 40);
      records.flush();
    }

    Path crashed = temp.resolve("crashed");
    int midSwapKills = 0;
    for (long version = 2; version <= 3; version++) {
      Process worker = startWorker(crashed, "run-" + version);
      try {
        midSwapKills += awaitSwapInProgress(crashed, version) ? 1 : 0;
      } finally {
        worker.destroyForcibly();
        worker.waitFor(30, TimeUnit.SECONDS);
      }
    }
    Process last = startWorker(crashed, "final");
    try (ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers())) {
      lag.awaitDrained(Map.of(IndexConfig.APPLICATION_ID, List.of(TOPICS.vectors().name(), TOPICS.dlq().name())), TIMEOUT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nworker log:\n" + tail(temp.resolve("worker-final.log")), e);
    } finally {
      last.destroyForcibly();
      last.waitFor(30, TimeUnit.SECONDS);
    }

    Path clean = temp.resolve("clean");
    cleanRun(clean);

    assertThat(midSwapKills).as("kills that landed while a version was half written").isPositive();
    for (String doc : DOCS) {
      assertThat(points(crashed, doc)).as("points of %s", doc).isEqualTo(points(clean, doc));
      assertThat(status(crashed, doc)).as("status of %s", doc).isEqualTo(status(clean, doc));
    }
    assertThat(points(clean, "big")).hasSize(2000).allSatisfy((id, p) -> assertThat(p.docVersion()).isEqualTo(3L));
    assertThat(points(clean, "small").values()).allSatisfy(p -> assertThat(p.deleted()).isTrue());
  }

  /** The real service's main in its own JVM, configured through the environment as in production. */
  private static Process startWorker(Path indexDir, String run) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), IndexWorker.class.getName());
    builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_"));
    builder.environment().putAll(Map.of(
        "SLUICE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "SLUICE_INDEX_DIR", indexDir.toString(),
        "SLUICE_STREAMS_STATE_DIR", temp.resolve("worker-state").toString(),
        "SLUICE_STREAMS_COMMIT_INTERVAL_MS", "100",
        "SLUICE_INDEX_BATCH_SIZE", "32"));
    Path log = temp.resolve("worker-" + run + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

  /**
   * Waits until the committed index holds some, not all, of {@code version} of the big document
   * (its chunks are written, its manifest not yet applied): the moment to kill. Returns whether
   * that moment was caught, rather than the version already complete.
   */
  private static boolean awaitSwapInProgress(Path indexDir, long version) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(IndexLayout.points(indexDir));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(indexDir))) {
      while (System.nanoTime() < deadline) {
        index.refresh();
        registry.refresh();
        long written = index.documentPoints(VectorRecords.TENANT, "big").stream().filter(p -> p.docVersion() >= version).count();
        Optional<DocumentStatus> status = registry.get(VectorRecords.TENANT, "big");
        // A pending status of this version only says its chunks are arriving: not complete.
        boolean complete = status.filter(s -> s.version() >= version && s.state() != DocumentStatus.State.PENDING).isPresent();
        if (complete) {
          return false;
        }
        if (written > 0) {
          return true;
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("the worker made no progress on version " + version + " within " + TIMEOUT);
  }

  /** The same records, indexed by an in-process worker that is never interrupted. */
  private static void cleanRun(Path indexDir) throws Exception {
    IndexConfig base = IndexConfig.from(Map.of(
        StreamsSettings.BOOTSTRAP, kafka.bootstrapServers(),
        StreamsSettings.STATE_DIR, temp.resolve("clean-state").toString(),
        StreamsSettings.COMMIT_INTERVAL, "100",
        IndexConfig.INDEX_DIR, indexDir.toString()));
    IndexConfig config = new IndexConfig(base.streams().withApplicationId("clean-run"), base.backend(), base.batch(),
        base.purge(), base.resilience());
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(IndexLayout.points(indexDir));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(indexDir));
        IndexWorker worker = IndexWorker.start(config, index, registry, new SimpleMeterRegistry());
        ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers())) {
      lag.awaitDrained(Map.of("clean-run", List.of(TOPICS.vectors().name(), TOPICS.dlq().name())), TIMEOUT);
    }
  }

  private static Map<String, PointState> points(Path indexDir, String doc) {
    try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(IndexLayout.points(indexDir))) {
      index.refresh();
      Map<String, PointState> points = new TreeMap<>();
      for (PointPayload p : index.documentPoints(VectorRecords.TENANT, doc)) {
        points.put(p.chunkId(), new PointState(p.docVersion(), p.deleted(), p.staged()));
      }
      return points;
    }
  }

  private static List<Object> status(Path indexDir, String doc) {
    try (LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(indexDir))) {
      registry.refresh();
      DocumentStatus s = registry.get(VectorRecords.TENANT, doc).orElseThrow(() -> new AssertionError("no status for " + doc + " in " + indexDir));
      List<Object> compared = new ArrayList<>(List.of(s.state(), s.version(), s.chunks()));
      compared.add(s.failure());
      return compared;
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
