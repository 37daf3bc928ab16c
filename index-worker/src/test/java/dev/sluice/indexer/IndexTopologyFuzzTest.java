package dev.sluice.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.events.Chunk;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.DocumentProgress;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerdes;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records on every topic the index topology reads, against a real Lucene index: random
 * bytes, a valid single-object header over garbage, records of other schemas, null keys and values
 * on {@code vectors}; chunks and manifests with wrong dimensions, NaN vectors, another model, keys
 * of another tenant, ids that are not UUIDs, oversize text; garbage and odd dead letters on {@code
 * dlq}; garbage and odd progress on {@code progress}. No exception escapes the driver; an
 * undecodable record on {@code vectors} or {@code progress} is exactly one dead letter, one on
 * {@code dlq} none (dead letters are never dead-lettered again); and a valid document still becomes
 * searchable after every 100 inputs and at the end. Tries: {@code -Dsluice.fuzz.tries} (default 300).
 */
class IndexTopologyFuzzTest {
  private static final String TARGET = "index.topics";
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final String MODEL = "test-model@00000000";
  private static final int DIMENSION = 8;
  private static final AvroSerdes.Codec<VectorTopicRecord> VECTORS = AvroSerdes.codec(VectorTopicRecord.class);

  @TempDir Path temp;

  @Test
  void hostileRecordsOnEveryInputTopicNeitherCrashNorStallTheIndex() {
    SplittableRandom random = new SplittableRandom(Long.getLong("sluice.fuzz.seed", 20_251_111L) ^ TARGET.hashCode());
    int tries = Integer.getInteger("sluice.fuzz.tries", 300);
    Map<String, String> settings = new HashMap<>(Map.of("index.dir", temp.resolve("index").toString(),
        "streams.state.dir", temp.resolve("state").toString(), "index.batch.size", "4", "index.batch.linger", "50ms",
        "index.retry.initial.backoff", "5ms", "index.retry.max.backoff", "20ms", "index.breaker.open.duration", "200ms"));
    IndexConfig config = IndexConfig.from(settings);
    List<DeadLetter> handlerLetters = new ArrayList<>();
    Properties props = config.streams().toStreamsProperties(config.streams().failurePolicy(handlerLetters::add));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    Map<String, Long> outcomes = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    long crashes = 0;
    long stuck = 0;
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(IndexLayout.points(config.indexDir()));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(config.indexDir()));
        TopologyTestDriver driver = new TopologyTestDriver(IndexTopology.build(config, index, registry, new SimpleMeterRegistry()),
            props)) {
      TestInputTopic<String, byte[]> vectors = driver.createInputTopic(TOPICS.vectors().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer());
      TestInputTopic<String, byte[]> dlqIn = driver.createInputTopic(TOPICS.dlq().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer());
      TestInputTopic<String, byte[]> progress = driver.createInputTopic(TOPICS.progress().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer());
      TestOutputTopic<String, DeadLetter> dlqOut = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(),
          TOPICS.dlq().valueSerde().deserializer());
      // The collection takes the model and dimension of its first vector, as it does in a deployment.
      if (!stillIndexes(vectors, registry, driver, "first")) {
        throw new AssertionError("the first valid document was not indexed");
      }
      for (int i = 0; i < tries; i++) {
        int topic = random.nextInt(10);
        String kind;
        String key;
        byte[] value;
        boolean undecodable;
        TestInputTopic<String, byte[]> input;
        if (topic < 6) {
          input = vectors;
          boolean garbage = random.nextInt(2) == 0;
          key = garbage ? randomKey(random) : "acme/doc-" + random.nextInt(50);
          kind = garbage ? "vectors:garbage" : "vectors:hostile";
          value = garbage ? garbage(random) : hostileVectorRecord(random, key);
          undecodable = garbage;
        } else if (topic < 8) {
          input = dlqIn;
          key = randomKey(random);
          boolean garbage = random.nextBoolean();
          kind = garbage ? "dlq:garbage" : "dlq:odd-letter";
          value = garbage ? garbage(random) : oddDeadLetter(random, key);
          undecodable = garbage;
        } else {
          input = progress;
          key = random.nextBoolean() ? randomKey(random) : "acme/doc-" + random.nextInt(50);
          boolean garbage = random.nextBoolean();
          kind = garbage ? "progress:garbage" : "progress:odd";
          value = garbage ? garbage(random) : oddProgress(random, key);
          undecodable = garbage;
        }
        int handlerBefore = handlerLetters.size();
        try {
          input.pipeInput(key, value);
        } catch (Throwable t) {
          crashes++;
          violations.add("#" + i + " " + kind + " key=" + key + ": escaped the driver: " + t);
          continue;
        }
        List<DeadLetter> letters = new ArrayList<>(dlqOut.readValuesToList());
        letters.addAll(handlerLetters.subList(handlerBefore, handlerLetters.size()));
        outcomes.merge(kind + "->" + letters.size() + "dl", 1L, Long::sum);
        // A garbage value may still be nothing at all (a null or empty record): only decode failures are promised a letter.
        if (undecodable && value != null && value.length > 0) {
          int expected = kind.startsWith("dlq") ? 0 : 1;
          if (letters.size() != expected) {
            violations.add("#" + i + " " + kind + " key=" + key + ": " + letters.size() + " dead letters, expected " + expected);
          }
        }
        if (i % 100 == 99 && !stillIndexes(vectors, registry, driver, "canary-" + i)) {
          stuck++;
          violations.add("#" + i + ": a valid document after this input was not indexed");
        }
      }
      if (!stillIndexes(vectors, registry, driver, "canary-end")) {
        stuck++;
        violations.add("after the fuzz, a valid document was not indexed");
      }
    }
    System.out.printf("FUZZ %s seed=%d inputs=%d 5xx=0 crashes=%d stuck=%d violations=%d outcomes=%s%n", TARGET,
        Long.getLong("sluice.fuzz.seed", 20_251_111L), tries, crashes, stuck, violations.size(), outcomes);
    assertThat(violations).as("inputs that crashed or stalled the topology, or were dead-lettered wrongly").isEmpty();
  }

  /**
   * Found by the fuzz above: a chunk whose vector is all zeros passes the index-worker's checks (NaN
   * and infinity are refused as {@code invalid-vector}, zero is not), is indexed under cosine
   * similarity, and the next merge of HNSW segments fails an assertion in {@code VectorUtil.cosine}
   * (the similarity of a zero vector is NaN). The IndexWriter is then closed for good ("this writer
   * hit an unrecoverable error"), every later write fails with "did not reopen within 30000 ms", and
   * the circuit breaker keeps the partition waiting forever: one record stalls the index-worker.
   * (Without {@code -ea} the assertion does not fire and NaN scores enter the graph instead.)
   */
  @Test
  void aZeroVectorIsRefusedAndTheIndexStaysWritable() {
    Map<String, String> settings = new HashMap<>(Map.of("index.dir", temp.resolve("index").toString(),
        "streams.state.dir", temp.resolve("state").toString(), "index.batch.size", "4", "index.batch.linger", "50ms",
        "index.retry.initial.backoff", "5ms", "index.retry.max.backoff", "20ms", "index.breaker.open.duration", "200ms"));
    IndexConfig config = IndexConfig.from(settings);
    List<DeadLetter> handlerLetters = new ArrayList<>();
    Properties props = config.streams().toStreamsProperties(config.streams().failurePolicy(handlerLetters::add));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(IndexLayout.points(config.indexDir()));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(config.indexDir()));
        TopologyTestDriver driver = new TopologyTestDriver(IndexTopology.build(config, index, registry, new SimpleMeterRegistry()),
            props)) {
      TestInputTopic<String, byte[]> vectors = driver.createInputTopic(TOPICS.vectors().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer());
      TestOutputTopic<String, DeadLetter> dlqOut = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(),
          TOPICS.dlq().valueSerde().deserializer());
      assertThat(stillIndexes(vectors, registry, driver, "first")).isTrue();
      vectors.pipeInput("acme/zero", VECTORS.encode(new VectorTopicRecord(chunk("acme", "zero", 1, "z", 0, MODEL,
          Collections.nCopies(DIMENSION, 0f)))));
      driver.advanceWallClockTime(Duration.ofMillis(100));
      assertThat(dlqOut.readValuesToList()).extracting(DeadLetter::getReason).containsExactly("invalid-vector");
      // Enough segments for merges to run over whatever was written.
      for (int i = 0; i < 30; i++) {
        assertThat(stillIndexes(vectors, registry, driver, "after-" + i)).as("document %d after the zero vector", i).isTrue();
      }
    }
  }

  /** A valid two-chunk document becomes indexed with both points visible. */
  private static boolean stillIndexes(TestInputTopic<String, byte[]> vectors, LuceneDocumentRegistry registry,
      TopologyTestDriver driver, String docId) {
    String key = "acme/" + docId;
    vectors.pipeInput(key, VECTORS.encode(new VectorTopicRecord(chunk("acme", docId, 1, "a", 0, MODEL, vector(0)))));
    vectors.pipeInput(key, VECTORS.encode(new VectorTopicRecord(chunk("acme", docId, 1, "b", 1, MODEL, vector(1)))));
    vectors.pipeInput(key, VECTORS.encode(new VectorTopicRecord(manifest("acme", docId, 1, List.of(id(docId + "a"), id(docId + "b"))))));
    driver.advanceWallClockTime(Duration.ofMillis(100));
    return registry.get("acme", docId).map(DocumentStatus::state).orElse(null) == DocumentStatus.State.INDEXED;
  }

  private static String id(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static List<Float> vector(int hot) {
    List<Float> v = new ArrayList<>(Collections.nCopies(DIMENSION, 0f));
    v.set(hot % DIMENSION, 1f);
    return v;
  }

  private static DocumentInfo info(List<String> acl) {
    return DocumentInfo.newBuilder().setSource("file:///doc.txt").setEventTime(Instant.parse("2026-01-02T03:04:05Z"))
        .setAclGroups(acl).build();
  }

  private static EmbeddedChunk chunk(String tenant, String docId, long version, String name, int ordinal, String model, List<Float> vector) {
    Chunk chunk = Chunk.newBuilder().setTenant(tenant).setDocId(docId).setDocVersion(version).setChunkId(id(docId + name))
        .setOrdinal(ordinal).setText("text of " + name).setContentHash("hash-" + name).setTokenCount(5).setDocument(info(List.of()))
        .build();
    return new EmbeddedChunk(chunk, model, vector);
  }

  private static DocumentManifest manifest(String tenant, String docId, long version, List<String> chunkIds) {
    return DocumentManifest.newBuilder().setTenant(tenant).setDocId(docId).setDocVersion(version).setOp(Operation.UPSERT)
        .setChunkIds(chunkIds).setDocument(info(List.of())).build();
  }

  /** Valid records of the vectors topic whose content is wrong in one way or another. */
  private static byte[] hostileVectorRecord(SplittableRandom random, String key) {
    String docId = key.substring(key.indexOf('/') + 1);
    long version = random.nextInt(1, 5);
    EmbeddedChunk good = chunk("acme", docId, version, "n" + random.nextInt(4), random.nextInt(4), MODEL, vector(random.nextInt(8)));
    Object body = switch (random.nextInt(14)) {
      case 0 -> chunk("acme", docId, version, "dim", 0, MODEL, List.of(1f, 0f, 0f));
      case 1 -> chunk("acme", docId, version, "empty", 0, MODEL, List.of());
      case 2 -> chunk("acme", docId, version, "nan", 0, MODEL, Collections.nCopies(DIMENSION, Float.NaN));
      case 3 -> chunk("acme", docId, version, "inf", 0, MODEL, Collections.nCopies(DIMENSION, Float.POSITIVE_INFINITY));
      // Not the all-zero vector: it breaks the Lucene writer for good (see aZeroVectorIsRefusedAndTheIndexStaysWritable).
      case 4 -> chunk("acme", docId, version, "negative", 0, MODEL, Collections.nCopies(DIMENSION, -1f));
      case 5 -> chunk("acme", docId, version, "other-model", 0, "other-model@ffffffff", vector(2));
      case 6 -> chunk("other-tenant", docId, version, "tenant", 0, MODEL, vector(3));
      case 7 -> {
        good.getChunk().setChunkId(pick(random, List.of("not-a-uuid", "", "\u0000", "../../x")));
        yield good;
      }
      case 8 -> {
        good.getChunk().setText("t".repeat(300_000));
        yield good;
      }
      case 9 -> {
        good.getChunk().setDocVersion(pick(random, List.of(-1L, Long.MAX_VALUE, Long.MIN_VALUE)));
        yield good;
      }
      case 10 -> manifest("acme", docId, version, List.of(id("never-sent-" + random.nextInt())));
      case 11 -> manifest("Bad Tenant!", docId, version, List.of());
      case 12 -> {
        DocumentManifest delete = manifest("acme", docId, version, List.of());
        delete.setOp(Operation.DELETE);
        yield delete;
      }
      default -> {
        good.getChunk().setDocument(info(Collections.nCopies(2000, "g")));
        yield good;
      }
    };
    return VECTORS.encode(new VectorTopicRecord(body));
  }

  private static byte[] oddDeadLetter(SplittableRandom random, String key) {
    DeadLetter letter = DeadLetters.of(pick(random, List.of("ingest", "embed", "index", "", "\u0000")),
        DeadLetters.Failure.of(pick(random, List.of("corrupt", "", "x".repeat(5000))), "m".repeat(random.nextInt(0, 3000))),
        new DeadLetters.Origin("documents", random.nextInt(-1, 6), random.nextLong()), key,
        random.nextBoolean() ? null : garbage(random), Instant.ofEpochMilli(random.nextLong(0, 1L << 42)));
    if (random.nextBoolean()) {
      letter.setDocVersion(pick(random, List.of(-1L, Long.MAX_VALUE, 0L)));
    }
    if (random.nextBoolean()) {
      letter.setTenant(pick(random, List.of("Bad Tenant!", "", "acme")));
      letter.setDocId(pick(random, List.of("", "x".repeat(300), "\u0000", "doc-1")));
    }
    return AvroSerdes.codec(DeadLetter.class).encode(letter);
  }

  private static byte[] oddProgress(SplittableRandom random, String key) {
    String docId = key == null ? "" : key.substring(key.indexOf('/') + 1);
    return AvroSerdes.codec(DocumentProgress.class).encode(new DocumentProgress(pick(random, List.of("acme", "", "Bad Tenant!")),
        docId, pick(random, List.of(-1L, 0L, 1L, Long.MAX_VALUE)), pick(random, List.of("embed", "index", "", "\u0000")),
        Instant.ofEpochMilli(random.nextLong(0, 1L << 42)), Instant.ofEpochMilli(random.nextLong(0, 1L << 42))));
  }

  /** Random bytes, a valid header over garbage, another topic's schema, or nothing. */
  private static byte[] garbage(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> null;
      case 1 -> new byte[0];
      case 2 -> {
        byte[] header = Arrays.copyOf(VECTORS.encode(new VectorTopicRecord(manifest("acme", "x", 1, List.of()))), 10);
        yield concat(header, randomBytes(random, random.nextInt(0, 300)));
      }
      case 3 -> AvroSerdes.codec(DocumentEvent.class).encode(DocumentEvent.newBuilder().setTenant("acme").setDocId("x")
          .setOp(Operation.UPSERT).setVersion(1).setEventTime(Instant.EPOCH).setSource("s").build());
      case 4 -> AvroSerdes.codec(Chunk.class).encode(chunk("acme", "x", 1, "c", 0, MODEL, vector(0)).getChunk());
      default -> randomBytes(random, random.nextInt(1, 2048));
    };
  }

  private static String randomKey(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> "acme/doc-" + random.nextInt(50);
      case 2 -> pick(random, List.of("", "/", "acme", "Bad Tenant!/x", "\u0000/\u0000", "a/" + "b".repeat(500)));
      default -> new String(randomBytes(random, random.nextInt(0, 40)), StandardCharsets.UTF_8);
    };
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
