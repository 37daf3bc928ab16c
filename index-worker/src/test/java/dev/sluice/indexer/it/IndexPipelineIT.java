package dev.sluice.indexer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embed.EmbedConfig;
import dev.sluice.embed.EmbedWorker;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.indexer.IndexWorker;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.ingest.IngestService;
import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index stage end to end with everything real: an in-process KRaft broker, the ingest service
 * (Tika, chunking), the embed worker (ONNX model, embedding cache), the index worker and a Lucene
 * index. One long document goes through an edit, a delete, a republish and a replay of every topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexPipelineIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final String TENANT = "acme";
  private static final String DOC = "handbook.txt";
  private static final SearchScope ACME = new SearchScope(TENANT, Set.of());
  private static final String EDITED = "Revised policy: every vermilion okapi must be registered with the quartermaster "
      + "before the winter solstice, and its paperwork filed in triplicate.";
  private static final String ORIGINAL = "Original policy: each turquoise pangolin is weighed by the harbourmaster at dawn "
      + "and its weight recorded in the blue register.";

  @TempDir static Path temp;
  private static EmbeddedKafka kafka;
  private static EmbeddingModel model;
  private static Embedder queries;
  private static LuceneVectorIndex index;
  private static LuceneDocumentRegistry registry;
  private static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private static final Deque<AutoCloseable> services = new ArrayDeque<>();
  private static Map<String, List<String>> groups;
  private static KafkaProducer<String, DocumentEvent> producer;

  // What each step saw, for the later steps to compare with.
  private static Set<String> editedIds;
  private static int editedChunks;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(temp.resolve("kafka"), 0, TOPICS.allNames(), 2));
    model = ModelCatalogue.loadDefault();
    queries = model.newEmbedder();
    index = LuceneVectorIndex.openWritable(IndexLayout.points(temp.resolve("index")));
    registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(temp.resolve("index")));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(p, TOPICS.documents().keySerde().serializer(), TOPICS.documents().valueSerde().serializer());
    startServices("first");
  }

  @AfterAll
  static void stop() {
    stopServices();
    if (producer != null) {
      producer.close();
    }
    for (AutoCloseable resource : new AutoCloseable[] {queries, registry, index, model, kafka}) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
  }

  /** The three stages, as local mode runs them, under application ids and state of their own. */
  private static void startServices(String run) {
    Map<String, String> settings = new HashMap<>();
    settings.put(StreamsSettings.BOOTSTRAP, kafka.bootstrapServers());
    settings.put(StreamsSettings.STATE_DIR, temp.resolve("streams-" + run).toString());
    settings.put(StreamsSettings.COMMIT_INTERVAL, "200");
    settings.put(IndexConfig.INDEX_DIR, temp.resolve("index").toString());
    IngestConfig ingest = withApplicationId(IngestConfig.from(settings), run + "-ingest");
    EmbedConfig embed = withApplicationId(EmbedConfig.from(settings), run + "-embed");
    IndexConfig indexer = withApplicationId(IndexConfig.from(settings), run + "-index");
    groups = Map.of(
        ingest.streams().applicationId(), List.of(TOPICS.documents().name(), TOPICS.documentsBackfill().name()),
        embed.streams().applicationId(), List.of(TOPICS.chunks().name()),
        indexer.streams().applicationId(), List.of(TOPICS.vectors().name(), TOPICS.dlq().name()));
    services.push(IndexWorker.start(indexer, index, registry, meters));
    services.push(EmbedWorker.start(embed, model, meters));
    services.push(IngestService.start(ingest, model, meters));
  }

  private static void stopServices() {
    while (!services.isEmpty()) {
      try {
        services.pop().close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  @Order(1)
  void aLongDocumentIsIndexedWhole() throws Exception {
    publish(1, Operation.UPSERT, document(false));
    DocumentStatus status = awaitState(State.INDEXED, 1);

    assertThat(status.chunks()).isGreaterThan(5);
    assertThat(index.pointIds(TENANT, DOC)).hasSize(status.chunks());
    assertThat(topText("turquoise pangolin weighed by the harbourmaster")).contains("turquoise pangolin");
  }

  @Test
  @Order(2)
  void anEditReEmbedsOnlyTheChangedChunksAndRetiresTheOldText() throws Exception {
    Set<String> before = index.pointIds(TENANT, DOC);
    double embeddedBefore = embedded();

    publish(2, Operation.UPSERT, document(true));
    DocumentStatus status = awaitState(State.INDEXED, 2);

    editedIds = index.pointIds(TENANT, DOC);
    editedChunks = status.chunks();
    Set<String> changed = new HashSet<>(editedIds);
    changed.removeAll(before);
    assertThat(changed).as("only the edited paragraph's chunks are new").isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(embedded() - embeddedBefore).as("model calls for the edit").isEqualTo(changed.size());
    assertThat(topText("vermilion okapi quartermaster")).contains("vermilion okapi");
    assertThat(texts(search("turquoise pangolin weighed by the harbourmaster", 20)))
        .noneMatch(text -> text.contains("turquoise pangolin"));
    assertThat(index.count()).as("no orphans: live points = the document's chunks").isEqualTo(editedChunks);
    assertThat(index.documentPoints(TENANT, DOC)).allSatisfy(p -> assertThat(p.docVersion()).isEqualTo(2L));
  }

  @Test
  @Order(3)
  void aDeleteHidesTheDocumentAndMarksItDeleted() throws Exception {
    publish(3, Operation.DELETE, null);
    awaitState(State.DELETED, 3);

    assertThat(search("vermilion okapi quartermaster", 10)).isEmpty();
    assertThat(index.count()).isZero();
    assertThat(index.documentPoints(TENANT, DOC)).as("soft-deleted, kept for a restore")
        .hasSize(editedChunks).allSatisfy(p -> assertThat(p.deleted()).isTrue());
  }

  @Test
  @Order(4)
  void aRepublishRestoresTheDocumentWithoutCallingTheModel() throws Exception {
    double embeddedBefore = embedded();

    publish(4, Operation.UPSERT, document(true));
    awaitState(State.INDEXED, 4);

    assertThat(embedded() - embeddedBefore).as("model calls for the restore").isZero();
    assertThat(topText("vermilion okapi quartermaster")).contains("vermilion okapi");
    assertThat(index.pointIds(TENANT, DOC)).isEqualTo(editedIds);
    assertThat(index.count()).isEqualTo(editedChunks);
    assertThat(index.documentPoints(TENANT, DOC)).allSatisfy(p -> {
      assertThat(p.deleted()).isFalse();
      assertThat(p.docVersion()).isEqualTo(4L);
    });
  }

  @Test
  @Order(5)
  void replayingEveryTopicFromTheStartChangesNothing() throws Exception {
    try (ConsumerLag lag = new ConsumerLag(kafka.bootstrapServers())) {
      lag.awaitDrained(groups, TIMEOUT);
      List<PointPayload> before = index.documentPoints(TENANT, DOC);
      stopServices();

      startServices("replay");
      lag.awaitDrained(groups, TIMEOUT);
    }

    assertThat(index.pointIds(TENANT, DOC)).isEqualTo(editedIds);
    assertThat(index.count()).isEqualTo(editedChunks);
    assertThat(index.documentPoints(TENANT, DOC)).allSatisfy(p -> {
      assertThat(p.deleted()).isFalse();
      assertThat(p.docVersion()).isEqualTo(4L);
    });
    assertThat(registry.get(TENANT, DOC)).hasValueSatisfying(s -> {
      assertThat(s.state()).isEqualTo(State.INDEXED);
      assertThat(s.version()).isEqualTo(4L);
    });
  }

  private static void publish(long version, Operation op, String text) throws Exception {
    DocumentEvent event = DocumentEvent.newBuilder()
        .setTenant(TENANT).setDocId(DOC).setOp(op).setVersion(version).setEventTime(Instant.now())
        .setSource("file:///handbook.txt").setContentType(text == null ? null : "text/plain")
        .setContent(text == null ? null : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
        .build();
    producer.send(new ProducerRecord<>(TOPICS.documents().name(), TENANT + "/" + DOC, event)).get(30, TimeUnit.SECONDS);
  }

  private static DocumentStatus awaitState(State state, long version) {
    return Await.until(TIMEOUT, DOC + " " + state + " at version " + version,
        () -> registry.get(TENANT, DOC).orElse(null),
        s -> s != null && s.state() == state && s.version() == version);
  }

  private static double embedded() {
    Counter counter = meters.find("sluice.embed.chunks").tag("result", "embedded").counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<SearchHit> search(String query, int topK) {
    index.refresh();
    return index.search(new SearchRequest(ACME, queries.embedQuery(query), query, topK, SearchMode.HYBRID));
  }

  private static String topText(String query) {
    List<SearchHit> hits = search(query, 3);
    assertThat(hits).as("hits for '%s'", query).isNotEmpty();
    return hits.getFirst().payload().text();
  }

  private static List<String> texts(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.payload().text()).toList();
  }

  /** Forty paragraphs of six sentences (the acceptance check's handbook); paragraph 20 differs. */
  static String document(boolean edited) {
    Random r = new Random(7);
    String[] nouns = "harbor ledger falcon orchard copper lantern glacier meadow archive compass quarry violin beacon tunnel saddle prism canyon ferry mill garden".split(" ");
    String[] verbs = "inspects repairs catalogues paints measures guards translates audits polishes charts".split(" ");
    String[] adjectives = "amber silent northern brittle patient crooked gentle hollow rapid ancient".split(" ");
    List<String> paragraphs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder p = new StringBuilder();
      for (int j = 0; j < 6; j++) {
        p.append(j == 0 ? "" : " ").append("The ").append(pick(r, adjectives)).append(' ').append(pick(r, nouns))
            .append(" keeper ").append(pick(r, verbs)).append(" the ").append(pick(r, nouns)).append(" near the ")
            .append(pick(r, adjectives)).append(' ').append(pick(r, nouns)).append(" in section ").append(i).append('.');
      }
      paragraphs.add(p.toString());
    }
    paragraphs.set(20, edited ? EDITED : ORIGINAL);
    return String.join("\n\n", paragraphs);
  }

  private static String pick(Random r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  /** The same config record with another application id: a fresh consumer group, as a replay needs. */
  @SuppressWarnings("unchecked")
  static <R extends Record> R withApplicationId(R config, String applicationId) {
    try {
      RecordComponent[] components = config.getClass().getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        Object value = components[i].getAccessor().invoke(config);
        values[i] = value instanceof StreamsSettings streams ? streams.withApplicationId(applicationId) : value;
      }
      return (R) config.getClass().getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + config.getClass().getSimpleName(), e);
    }
  }
}
