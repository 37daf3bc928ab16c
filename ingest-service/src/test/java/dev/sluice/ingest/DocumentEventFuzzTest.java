package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.DocumentProgress;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.schemas.AvroSerdes;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records on the documents topics, through the real ingest topology (real Tika in thread
 * isolation, the real tokenizer): random bytes, a valid single-object header over garbage, records
 * of other schemas, null keys and values, keys that disagree with the event, every field at its
 * unicode and size edges, and inline content of random bytes, broken PDFs, zips, gzip, deep HTML
 * and entity bombs. For every input: no exception escapes the driver (a crash), and it yields either
 * its chunks and manifest or exactly one dead letter carrying the original record, or it is a stale
 * version and counted as one; nothing vanishes. Every 100 inputs and at the end a valid document on
 * the same partition must still come through (nothing is stuck).
 *
 * <p>The driver is built here rather than with {@link IngestDriver} so that the dead letters of the
 * Kafka Streams exception handlers land in a list and are counted, instead of going to a broker.
 * Tries: {@code -Dsluice.fuzz.tries} (default 500), seed {@code -Dsluice.fuzz.seed}.
 */
class DocumentEventFuzzTest {
  private static final String TARGET = "ingest.documents";
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final AvroSerdes.Codec<DocumentEvent> EVENTS = AvroSerdes.codec(DocumentEvent.class);
  private static final List<String> NASTY = List.of("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\ud83d\ude00",
      "\u202eevil\u202c", "\u200b", "\ufeff", "e\u0301\u0301", "\r\n", "../../../etc/passwd", "%00", "<script>", "${jndi:x}",
      "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\uffff", "\u001b[31m", "a".repeat(300));

  @TempDir static Path temp;
  private static EmbeddingModel model;
  private static Path allowed;

  @BeforeAll
  static void loadModel() throws Exception {
    model = ModelCatalogue.loadDefault();
    allowed = Files.createDirectories(temp.resolve("allowed"));
    Files.writeString(allowed.resolve("readable.txt"), "A file under the allowed root, about harbours and ferries.");
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  /** One input: where it goes, its key and value bytes, and what it is, for a failure message. */
  private record Input(boolean backfill, String key, byte[] value, String kind) {}

  @Test
  void everyHostileRecordYieldsItsChunksOrOneDeadLetterAndThePartitionKeepsMoving() throws Exception {
    SplittableRandom random = new SplittableRandom(Long.getLong("sluice.fuzz.seed", 20_251_111L) ^ TARGET.hashCode());
    int tries = Integer.getInteger("sluice.fuzz.tries", 500);
    List<DeadLetter> handlerLetters = new ArrayList<>();
    IngestConfig config = IngestConfig.from(Map.of("streams.state.dir", temp.resolve("state").toString(),
        IngestConfig.ALLOWED_ROOTS, allowed.toString(), IngestConfig.PARSE_ISOLATION, "thread"));
    Properties props = config.streams().toStreamsProperties(config.streams().failurePolicy(handlerLetters::add));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Map<String, Long> acceptedVersions = new HashMap<>();
    Map<String, Long> outcomes = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    long crashes = 0;
    long stuck = 0;
    try (TopologyTestDriver driver = new TopologyTestDriver(IngestTopology.build(config, model.tokenizer(), meters), props)) {
      TestInputTopic<String, byte[]> live = driver.createInputTopic(TOPICS.documents().name(), Serdes.String().serializer(),
          Serdes.ByteArray().serializer());
      TestInputTopic<String, byte[]> backfill = driver.createInputTopic(TOPICS.documentsBackfill().name(),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, ChunkTopicRecord> chunks = driver.createOutputTopic(TOPICS.chunks().name(),
          Serdes.String().deserializer(), TOPICS.chunks().valueSerde().deserializer());
      TestOutputTopic<String, DeadLetter> dlq = driver.createOutputTopic(TOPICS.dlq().name(), Serdes.String().deserializer(),
          TOPICS.dlq().valueSerde().deserializer());
      TestOutputTopic<String, DocumentProgress> progress = driver.createOutputTopic(TOPICS.progress().name(),
          Serdes.String().deserializer(), TOPICS.progress().valueSerde().deserializer());

      for (int i = 0; i < tries; i++) {
        Input input = next(random, acceptedVersions);
        double staleBefore = count(meters, "stale");
        int handlerBefore = handlerLetters.size();
        try {
          (input.backfill() ? backfill : live).pipeInput(input.key(), input.value());
        } catch (Throwable t) {
          crashes++;
          violation(violations, i, input, "escaped the driver: " + t);
          continue;
        }
        List<ChunkTopicRecord> out = chunks.readValuesToList();
        List<DeadLetter> letters = new ArrayList<>(dlq.readValuesToList());
        letters.addAll(handlerLetters.subList(handlerBefore, handlerLetters.size()));
        progress.readValuesToList();
        boolean stale = count(meters, "stale") > staleBefore;
        String outcome = judge(input, out, letters, stale);
        if (outcome.startsWith("!")) {
          violation(violations, i, input, outcome.substring(1));
        } else if (outcome.equals("manifest")) {
          DocumentManifest manifest = (DocumentManifest) out.get(out.size() - 1).getBody();
          acceptedVersions.merge(input.key(), manifest.getDocVersion(), Math::max);
        }
        outcomes.merge(handlerLetters.size() > handlerBefore ? "handler:" + outcome : outcome, 1L, Long::sum);
        if (i % 100 == 99 && !stillFlows(live, backfill, chunks, dlq, i)) {
          stuck++;
          violation(violations, i, input, "a valid document after this input produced no chunks");
        }
      }
      if (!stillFlows(live, backfill, chunks, dlq, tries)) {
        stuck++;
        violations.add("after the fuzz, a valid document produced no chunks");
      }
    }
    System.out.printf("FUZZ %s seed=%d inputs=%d 5xx=0 crashes=%d stuck=%d violations=%d outcomes=%s%n", TARGET,
        Long.getLong("sluice.fuzz.seed", 20_251_111L), tries, crashes, stuck, violations.size(), outcomes);
    assertThat(violations).as("inputs that crashed, vanished or stalled the topology").isEmpty();
    assertThat(outcomes.keySet()).as("the fuzz reached both outcomes").anyMatch(o -> o.startsWith("dead-letter"))
        .contains("manifest");
  }

  /** What one input became; a leading '!' marks a broken promise. */
  private static String judge(Input input, List<ChunkTopicRecord> out, List<DeadLetter> letters, boolean stale) {
    // The key as Kafka carries it: UTF-8 turns a lone surrogate into '?'.
    String key = input.key() == null ? null : new String(input.key().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    if (letters.size() == 1 && out.isEmpty()) {
      DeadLetter letter = letters.get(0);
      if (!java.util.Objects.equals(letter.getKey(), key)) {
        return "!dead letter for key " + letter.getKey();
      }
      byte[] original = letter.getOriginalValue() == null ? null : bytes(letter.getOriginalValue());
      if (input.value() != null && !Arrays.equals(original, input.value())) {
        return "!dead letter without the original value";
      }
      return "dead-letter:" + letter.getReason();
    }
    if (letters.isEmpty() && !out.isEmpty() && out.get(out.size() - 1).getBody() instanceof DocumentManifest manifest) {
      List<Chunk> emitted = out.subList(0, out.size() - 1).stream().map(r -> r.getBody() instanceof Chunk c ? c : null).toList();
      if (emitted.contains(null)) {
        return "!a manifest in the middle of a version";
      }
      if (!(manifest.getTenant() + "/" + manifest.getDocId()).equals(key)) {
        return "!a manifest for " + manifest.getTenant() + "/" + manifest.getDocId();
      }
      if (!emitted.isEmpty() && !emitted.stream().map(Chunk::getChunkId).toList().equals(manifest.getChunkIds())) {
        return "!chunks and manifest disagree";
      }
      if (emitted.stream().anyMatch(c -> !c.getTenant().equals(manifest.getTenant()) || !c.getDocId().equals(manifest.getDocId()))) {
        return "!a chunk of another document";
      }
      return "manifest";
    }
    if (letters.isEmpty() && out.isEmpty() && stale) {
      return "stale";
    }
    return "!" + out.size() + " chunk records and " + letters.size() + " dead letters";
  }

  /** A valid document on each documents topic still becomes chunks and a manifest, with no dead letter. */
  private static boolean stillFlows(TestInputTopic<String, byte[]> live, TestInputTopic<String, byte[]> backfill,
      TestOutputTopic<String, ChunkTopicRecord> chunks, TestOutputTopic<String, DeadLetter> dlq, int at) {
    boolean flows = true;
    for (TestInputTopic<String, byte[]> topic : List.of(live, backfill)) {
      String docId = "canary-" + at + (topic == live ? "-live" : "-backfill") + ".txt";
      topic.pipeInput("acme/" + docId, EVENTS.encode(event("acme", docId, 1, "The canary paragraph about lighthouses.").build()));
      List<ChunkTopicRecord> out = chunks.readValuesToList();
      flows &= dlq.readValuesToList().isEmpty() && out.size() >= 2 && out.get(out.size() - 1).getBody() instanceof DocumentManifest;
    }
    return flows;
  }

  private static void violation(List<String> violations, int i, Input input, String what) {
    if (violations.size() < 10) {
      String value = input.value() == null ? "null" : input.value().length + " bytes "
          + java.util.HexFormat.of().formatHex(input.value(), 0, Math.min(input.value().length, 64));
      violations.add("#" + i + " " + input.kind() + " key=" + input.key() + " value=" + value + ": " + what);
    } else {
      violations.add("...");
    }
  }

  private static double count(SimpleMeterRegistry meters, String result) {
    Counter counter = meters.find("sluice.ingest.documents").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  static DocumentEvent.Builder event(String tenant, String docId, long version, String text) {
    return DocumentEvent.newBuilder().setTenant(tenant).setDocId(docId).setOp(Operation.UPSERT).setVersion(version)
        .setEventTime(Instant.parse("2025-06-01T00:00:00Z")).setSource("file:///" + docId)
        .setContent(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  // ---- the generators ----

  private static Input next(SplittableRandom random, Map<String, Long> accepted) throws Exception {
    boolean backfill = random.nextInt(5) == 0;
    int n = random.nextInt(100);
    if (n < 10) {
      return new Input(backfill, randomKey(random), randomBytes(random, random.nextInt(0, 4096)), "random-bytes");
    }
    if (n < 18) {
      byte[] header = Arrays.copyOf(EVENTS.encode(event("acme", "x", 1, "x").build()), 10);
      return new Input(backfill, randomKey(random), concat(header, randomBytes(random, random.nextInt(0, 512))), "header-garbage");
    }
    if (n < 26) {
      DocumentEvent valid = hostileEvent(random, docId(random)).build();
      return new Input(backfill, key(valid), mutate(random, EVENTS.encode(valid)), "mutated-encoding");
    }
    if (n < 32) {
      return wrongSchema(random, backfill);
    }
    if (n < 36) {
      DocumentEvent valid = event("acme", docId(random), 1, "text").build();
      return switch (random.nextInt(3)) {
        case 0 -> new Input(backfill, key(valid), null, "null-value");
        case 1 -> new Input(backfill, null, EVENTS.encode(valid), "null-key");
        default -> new Input(backfill, key(valid), new byte[0], "empty-value");
      };
    }
    if (n < 42) {
      DocumentEvent valid = event("acme", docId(random), 1, "Some text about glaciers.").build();
      String key = pick(random, List.of("other/" + valid.getDocId(), "acme", "acme/", "/" + valid.getDocId(), "ACME/" + valid.getDocId(),
          "acme/" + valid.getDocId() + "/", "acme//" + valid.getDocId(), "acme/" + valid.getDocId() + "\u0000", ""));
      return new Input(backfill, key, EVENTS.encode(valid), "key-mismatch");
    }
    if (n < 48 && !accepted.isEmpty()) {
      // An older or equal version of a document already accepted: dropped and counted as stale.
      String key = pick(random, new ArrayList<>(accepted.keySet()));
      int slash = key.indexOf('/');
      DocumentEvent old = event(key.substring(0, slash), key.substring(slash + 1), accepted.get(key) - random.nextInt(0, 3),
          "An old version.").build();
      return new Input(backfill, key, EVENTS.encode(old), "stale-version");
    }
    if (n < 75) {
      DocumentEvent event = hostileEvent(random, docId(random)).build();
      return new Input(backfill, key(event), EVENTS.encode(event), "hostile-fields");
    }
    String docId = docId(random);
    byte[][] content = hostileContent(random);
    DocumentEvent event = event("acme", docId + new String(content[1], StandardCharsets.UTF_8), 1, "")
        .setContent(ByteBuffer.wrap(content[0])).build();
    return new Input(backfill, key(event), EVENTS.encode(event), "hostile-content:" + new String(content[1], StandardCharsets.UTF_8));
  }

  private static String key(DocumentEvent event) {
    return event.getTenant() + "/" + event.getDocId();
  }

  private static String docId(SplittableRandom random) {
    return "doc-" + random.nextInt(1_000_000);
  }

  private static String randomKey(SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> "acme/" + docId(random);
      case 2 -> pick(random, NASTY);
      default -> new String(randomBytes(random, random.nextInt(0, 40)), StandardCharsets.UTF_8);
    };
  }

  /** A well-encoded event whose fields sit at or past their edges. */
  private static DocumentEvent.Builder hostileEvent(SplittableRandom random, String docId) {
    DocumentEvent.Builder event = event("acme", docId, random.nextInt(1, 1000),
        "A paragraph about " + pick(random, NASTY) + " and harbours.");
    for (int edits = random.nextInt(1, 4); edits > 0; edits--) {
      switch (random.nextInt(16)) {
        case 0 -> event.setTenant(pick(random, List.of("", "A", "-a", "a".repeat(64), "tenant_b", "t\u00e9nant", "a\u0000", "../x",
            "acme ", "\u0661\u0662")));
        case 1 -> event.setDocId(pick(random, List.of("", "x".repeat(256), "x".repeat(257), "a/b/../../../etc/passwd",
            "d/".repeat(120) + "end", "nul\u0000id", "\u202etxt.exe", "zero\u200bwidth", "lone\ud800", "\ud83d\ude00.txt", "line\nbreak",
            "tab\tid", "%2e%2e%2f", "\u00ff".repeat(256))));
        case 2 -> event.setTitle(pick(random, List.of("t".repeat(64 * 1024), "\u202e" + "\u200b".repeat(500), "\ud800\udc00\ud800",
            "\u0000", "x".repeat(1025), "x".repeat(1024))));
        case 3 -> event.setSource(pick(random, List.of("", "   ", "s".repeat(5000), "\u0000", "javascript:alert(1)", "file:///\ud800")));
        case 4 -> event.setContentType(pick(random, List.of("text/", ";;", "a/b; charset=\u0000", "x".repeat(300), "application/pdf",
            "image/png", "text/plain; charset=utf-32", "multipart/mixed; boundary=", "*/*", "application/zip")));
        case 5 -> {
          Map<String, String> metadata = new LinkedHashMap<>();
          int entries = pick(random, List.of(10_000, 129, 128, 3));
          for (int i = 0; i < entries; i++) {
            metadata.put("k" + i + pick(random, NASTY), pick(random, NASTY));
          }
          event.setMetadata(metadata);
        }
        case 6 -> event.setMetadata(Map.of("language", "x".repeat(5000), "tags", ",,,\u0000,", "k".repeat(200), "v"));
        case 7 -> event.setAclGroups(random.nextBoolean() ? java.util.Collections.nCopies(1000, "g")
            : List.of("g".repeat(300), "\u0000", ""));
        case 8 -> event.setTraceId(pick(random, List.of("t".repeat(1000), "\r\nforged log line", "\u0000")));
        case 9 -> event.setVersion(pick(random, List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE)));
        case 10 -> event.setEventTime(pick(random, List.of(Instant.ofEpochMilli(Long.MAX_VALUE), Instant.ofEpochMilli(Long.MIN_VALUE),
            Instant.EPOCH, Instant.ofEpochMilli(-1))));
        case 11 -> event.setOp(Operation.DELETE);
        case 12 -> event.setContent(null);
        case 13 -> event.setContentRef(pick(random, List.of("file:///etc/passwd", allowed.toUri() + "../../etc/passwd",
            allowed.resolve("readable.txt").toUri().toString(), allowed.resolve("missing.txt").toUri().toString(), "ftp://x/y",
            "jar:file:/x.jar!/a", "", " ", "\u0000", "file:" + allowed + "/%2e%2e/secret", allowed.toUri().toString())));
        case 14 -> event.setContent(ByteBuffer.wrap(new byte[0]));
        default -> event.setContent(ByteBuffer.wrap(randomBytes(random, 512 * 1024 + 1)));
      }
    }
    return event;
  }

  /** Content bytes and a suffix for the docId that hints the type to Tika. */
  private static byte[][] hostileContent(SplittableRandom random) throws Exception {
    return switch (random.nextInt(10)) {
      case 0 -> new byte[][] {randomBytes(random, random.nextInt(1, 64 * 1024)), ".bin".getBytes()};
      case 1 -> new byte[][] {concat("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII), randomBytes(random, random.nextInt(0, 2048))),
          ".pdf".getBytes()};
      case 2 -> new byte[][] {truncatedPdf(random), ".pdf".getBytes()};
      case 3 -> new byte[][] {zip(random, false), ".zip".getBytes()};
      case 4 -> new byte[][] {zip(random, true), ".docx".getBytes()};
      case 5 -> new byte[][] {gzip(randomBytes(random, random.nextInt(1, 4096))), ".gz".getBytes()};
      case 6 -> new byte[][] {("<html><body>" + "<div>".repeat(random.nextInt(1000, 20_000)) + "deep text").getBytes(StandardCharsets.UTF_8),
          ".html".getBytes()};
      case 7 -> new byte[][] {entityBomb().getBytes(StandardCharsets.UTF_8), ".xml".getBytes()};
      case 8 -> new byte[][] {concat("{\\rtf1 ".getBytes(StandardCharsets.US_ASCII), randomBytes(random, 1024)), ".rtf".getBytes()};
      default -> new byte[][] {concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, "\u0000h\u0000i".repeat(100).getBytes(StandardCharsets.UTF_8)),
          ".txt".getBytes()};
    };
  }

  private static byte[] truncatedPdf(SplittableRandom random) {
    String pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + "4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 100 700 Td (Hello lighthouse) Tj ET\nendstream endobj\n"
        + "xref\n0 5\ntrailer<</Size 5/Root 1 0 R>>\nstartxref\n9999\n%%EOF\n";
    byte[] bytes = pdf.getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(bytes, random.nextInt(10, bytes.length + 1));
  }

  /** A small zip (or docx-shaped one) with hostile entry names, sometimes corrupted after writing. */
  private static byte[] zip(SplittableRandom random, boolean docx) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      if (docx) {
        zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
        zip.write(("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
            + "wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
        zip.putNextEntry(new ZipEntry("word/document.xml"));
        zip.write(randomBytes(random, random.nextInt(0, 512)));
      }
      for (String name : List.of("../../evil.txt", "a/" + "b/".repeat(50) + "c.txt", "nested.zip", "zeros.txt")) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(name.equals("zeros.txt") ? new byte[random.nextInt(1, 2 * 1024 * 1024)] : randomBytes(random, random.nextInt(0, 256)));
      }
    }
    byte[] out = bytes.toByteArray();
    if (random.nextBoolean()) {
      for (int i = random.nextInt(1, 8); i > 0; i--) {
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      }
    }
    return out;
  }

  private static byte[] gzip(byte[] content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(content);
    }
    return bytes.toByteArray();
  }

  /** Entities that expand ten-fold per level (a small "billion laughs"). */
  private static String entityBomb() {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
    for (int level = 1; level <= 7; level++) {
      xml.append("<!ENTITY lol").append(level).append(" \"").append(("&lol" + (level - 1) + ";").repeat(10)).append("\">");
    }
    return xml.append("]><lolz>&lol7;</lolz>").toString();
  }

  // ---- wrong schemas: valid records of the other topics' types ----

  private static Input wrongSchema(SplittableRandom random, boolean backfill) {
    String docId = docId(random);
    String key = "acme/" + docId;
    DocumentInfo info = DocumentInfo.newBuilder().setSource("file:///" + docId).setEventTime(Instant.EPOCH).build();
    byte[] value = switch (random.nextInt(5)) {
      case 0 -> AvroSerdes.codec(DocumentManifest.class).encode(DocumentManifest.newBuilder().setTenant("acme").setDocId(docId)
          .setDocVersion(1).setOp(Operation.UPSERT).setChunkIds(List.of("x")).setDocument(info).build());
      case 1 -> AvroSerdes.codec(ChunkTopicRecord.class).encode(new ChunkTopicRecord(DocumentManifest.newBuilder().setTenant("acme")
          .setDocId(docId).setDocVersion(1).setOp(Operation.DELETE).setChunkIds(List.of()).setDocument(info).build()));
      case 2 -> AvroSerdes.codec(DocumentProgress.class).encode(new DocumentProgress("acme", docId, 1L, "embed", Instant.EPOCH,
          Instant.EPOCH));
      case 3 -> AvroSerdes.codec(DeadLetter.class).encode(DeadLetters.of("ingest",
          DeadLetters.Failure.of("invalid-event", "nested"), new DeadLetters.Origin("documents", 0, 1), key,
          EVENTS.encode(event("acme", docId, 1, "x").build()), Instant.EPOCH));
      default -> AvroSerdes.codec(Chunk.class).encode(Chunk.newBuilder().setTenant("acme").setDocId(docId).setDocVersion(1)
          .setChunkId("00000000-0000-0000-0000-000000000000").setOrdinal(0).setText("chunk").setContentHash("h").setTokenCount(1)
          .setDocument(info).build());
    };
    return new Input(backfill, key, value, "wrong-schema");
  }

  private static byte[] mutate(SplittableRandom random, byte[] bytes) {
    byte[] out = bytes.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int i = random.nextInt(1, 6); i > 0; i--) {
          int at = random.nextInt(out.length);
          out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
        }
      }
      case 1 -> out = Arrays.copyOf(out, random.nextInt(0, out.length));
      default -> {
        // A length or count field turned huge: the decoder must not allocate what it announces.
        int at = random.nextInt(10, Math.max(11, out.length));
        out = concat(Arrays.copyOf(out, Math.min(at, out.length)), new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F});
      }
    }
    return out;
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
