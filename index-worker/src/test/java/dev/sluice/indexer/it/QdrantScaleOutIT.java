package dev.sluice.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.PointPayload;
import dev.sluice.index.RequiresDocker;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.backend.IndexBackendConfig;
import dev.sluice.index.backend.IndexBackends;
import dev.sluice.index.backend.OpenIndex;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.indexer.IndexWorker;
import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The production shape: two index-worker processes (one Kafka Streams application, partitions
 * shared between them) write one Qdrant. One is killed with {@code kill -9} mid-ingest and started
 * again, so its partitions move to the other and back. The index must end as a clean run's (an
 * in-process worker writing another collection from the same records): same point ids, versions,
 * delete flags, nothing left staged, same document statuses; and search must return exactly one
 * version per document. Needs Docker (Qdrant in Testcontainers): skipped without it, unless
 * {@code -Dsluice.require-docker=true} makes that a failure.
 */
@RequiresDocker
class QdrantScaleOutIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(300);
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final String IMAGE = System.getProperty("sluice.qdrant.image", "qdrant/qdrant:v1.16.0");
  private static final int DOCS = 40;

  @TempDir static Path temp;
  private static EmbeddedKafka kafka;
  private static QdrantContainer qdrant;

  @BeforeAll
  static void start() {
    qdrant = new QdrantContainer(IMAGE);
    qdrant.start();
    kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(temp.resolve("kafka"), 0, TOPICS.allNames(), 6));
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (qdrant != null) {
      qdrant.stop();
    }
  }

  /** A point as the comparison sees it: what must be equal, not when it was written. */
  record PointState(long docVersion, boolean deleted, boolean staged) {}

  @Test
  void twoWorkersOnOneQdrantSurviveAKillAndEndAsACleanRun() throws Exception {
    try (VectorRecords records = new VectorRecords(kafka.bootstrapServers())) {
      records.upsert("big", 1, 0, 1000);
      for (int d = 0; d < DOCS; d++) {
        records.upsert("doc-" + d, 1, 0, 40);
      }
      records.upsert("big", 2, 500, 1500);
      for (int d = 0; d < DOCS; d++) {
        if (d % 5 == 0) {
          records.delete("doc-" + d, 2);
        } else {
          records.upsert("doc-" + d, 2, 20, 60);
        }
      }
      records.flush();
    }

    Process a = startWorker("a", 1);
    Process b = startWorker("b", 1);
    try (OpenIndex scaled = IndexBackends.openForWriting(backend("scaled"))) {
      awaitSomeIndexed(scaled);
      a.destroyForcibly();
      a.waitFor(30, TimeUnit.SECONDS);
      a = startWorker("a", 2);
      try (ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers())) {
        lag.awaitDrained(Map.of(IndexConfig.APPLICATION_ID, List.of(TOPICS.vectors().name(), TOPICS.dlq().name())), TIMEOUT);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nworker a log:\n" + IndexCrashIT.tail(temp.resolve("worker-a-2.log"))
            + "\nworker b log:\n" + IndexCrashIT.tail(temp.resolve("worker-b-1.log")), e);
      }

      try (OpenIndex clean = cleanRun()) {
        for (String doc : docIds()) {
          assertThat(points(scaled, doc)).as("points of %s", doc).isEqualTo(points(clean, doc));
          assertThat(status(scaled, doc)).as("status of %s", doc).isEqualTo(status(clean, doc));
        }
        assertThat(points(scaled, "big")).hasSize(1000)
            .allSatisfy((id, p) -> assertThat(p).isEqualTo(new PointState(2, false, false)));
        assertThat(scaled.index().count()).isEqualTo(clean.index().count());
      }
      List<SearchHit> hits = scaled.index().search(new SearchRequest(new SearchScope(VectorRecords.TENANT, java.util.Set.of()),
          null, "chunk of big about subject 7", 50, SearchMode.KEYWORD));
      assertThat(hits).isNotEmpty().allSatisfy(h -> assertThat(h.payload().docVersion()).isEqualTo(2L));
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
      a.waitFor(30, TimeUnit.SECONDS);
      b.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> docIds() {
    List<String> ids = new ArrayList<>(List.of("big"));
    for (int d = 0; d < DOCS; d++) {
      ids.add("doc-" + d);
    }
    return ids;
  }

  private static IndexBackendConfig backend(String collection) {
    return IndexBackendConfig.from(Map.of(
        IndexBackendConfig.BACKEND, "qdrant",
        IndexBackendConfig.QDRANT_URL, qdrantUrl(),
        IndexBackendConfig.QDRANT_COLLECTION, collection));
  }

  private static String qdrantUrl() {
    return "http://" + qdrant.getHost() + ":" + qdrant.getGrpcPort();
  }

  /** The real service's main in its own JVM, configured through the environment as in production. */
  private static Process startWorker(String name, int run) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), IndexWorker.class.getName());
    builder.environment().keySet().removeIf(key -> key.startsWith("SLUICE_"));
    builder.environment().putAll(Map.of(
        "SLUICE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
        "SLUICE_INDEX_BACKEND", "qdrant",
        "SLUICE_QDRANT_URL", qdrantUrl(),
        "SLUICE_QDRANT_COLLECTION", "scaled",
        "SLUICE_STREAMS_STATE_DIR", temp.resolve("state-" + name).toString(),
        "SLUICE_STREAMS_COMMIT_INTERVAL_MS", "100",
        "SLUICE_INDEX_BATCH_SIZE", "32"));
    builder.redirectErrorStream(true).redirectOutput(temp.resolve("worker-" + name + "-" + run + ".log").toFile());
    return builder.start();
  }

  /** Waits until some documents, not all, are indexed: the moment to kill one worker. */
  private static void awaitSomeIndexed(OpenIndex scaled) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long settled = docIds().stream().filter(doc -> scaled.registry().get(VectorRecords.TENANT, doc)
          .filter(s -> s.version() == 2).isPresent()).count();
      if (settled > 0) {
        assertThat(settled).as("documents settled before the kill").isLessThan(docIds().size());
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the workers made no progress within " + TIMEOUT + "\n"
        + IndexCrashIT.tail(temp.resolve("worker-a-1.log")));
  }

  /** The same records, indexed by an in-process worker that is never interrupted, into collection 'clean'. */
  private static OpenIndex cleanRun() throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of(
        StreamsSettings.BOOTSTRAP, kafka.bootstrapServers(),
        StreamsSettings.STATE_DIR, temp.resolve("clean-state").toString(),
        StreamsSettings.COMMIT_INTERVAL, "100",
        IndexBackendConfig.BACKEND, "qdrant",
        IndexBackendConfig.QDRANT_URL, qdrantUrl(),
        IndexBackendConfig.QDRANT_COLLECTION, "clean"));
    IndexConfig base = IndexConfig.from(settings);
    IndexConfig config = new IndexConfig(base.streams().withApplicationId("clean-run"), base.backend(), base.batch(),
        base.purge(), base.resilience());
    OpenIndex clean = IndexBackends.openForWriting(config.backend());
    try (IndexWorker worker = IndexWorker.start(config, clean.index(), clean.registry(), new SimpleMeterRegistry());
        ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers())) {
      lag.awaitDrained(Map.of("clean-run", List.of(TOPICS.vectors().name(), TOPICS.dlq().name())), TIMEOUT);
    }
    return clean;
  }

  private static Map<String, PointState> points(OpenIndex opened, String doc) {
    Map<String, PointState> points = new TreeMap<>();
    for (PointPayload p : opened.index().documentPoints(VectorRecords.TENANT, doc)) {
      points.put(p.chunkId(), new PointState(p.docVersion(), p.deleted(), p.staged()));
    }
    return points;
  }

  private static List<Object> status(OpenIndex opened, String doc) {
    DocumentStatus s = opened.registry().get(VectorRecords.TENANT, doc)
        .orElseThrow(() -> new AssertionError("no status for " + doc + " in " + opened.description()));
    List<Object> compared = new ArrayList<>(List.of(s.state(), s.version(), s.chunks()));
    compared.add(s.failure());
    return compared;
  }
}
