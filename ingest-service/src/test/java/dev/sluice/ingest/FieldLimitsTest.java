package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.chunksOf;
import static dev.sluice.ingest.IngestDriver.delete;
import static dev.sluice.ingest.IngestDriver.manifestOf;
import static dev.sluice.ingest.IngestDriver.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentInfo;
import dev.sluice.schemas.ReasonCode;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field limit of a document event sends the event to the dead-letter topic with its own reason
 * code, and the document's next event on the partition is processed; an event at every limit yields
 * points the index accepts.
 */
class FieldLimitsTest {
  private static final String TEXT = "The ferry timetable lists every crossing between the harbour and the island, "
      + "with the morning boats marked in blue and the evening boats in green.";
  private static EmbeddingModel model;
  @TempDir Path temp;
  private IngestDriver ingest;
  private long version;

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
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"), Map.of(IngestConfig.PARSE_ISOLATION, "thread"));
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  /** A valid event of doc.txt, one version later than the last. */
  private DocumentEvent.Builder next() {
    return upsert("doc.txt", ++version, TEXT);
  }

  /**
   * Sends {@code event}, asserts that it became exactly one dead letter and nothing else, then that the
   * document's next (valid) version is chunked: the partition moved on. Returns the dead letter.
   */
  private DeadLetter refused(DocumentEvent event) {
    ingest.send(event);
    assertThat(ingest.chunks.isEmpty()).as("no chunks or manifest for a refused event").isTrue();
    List<DeadLetter> letters = ingest.dlq.readValuesToList();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getStage()).isEqualTo("ingest");
    assertThat(letter.getDocVersion()).isEqualTo(event.getVersion());
    assertThat(letter.getOriginalValue()).as("replayable").isNotNull();
    DocumentEvent following = next().build();
    ingest.send(following);
    assertThat(manifestOf(ingest.drainChunks()).getDocVersion()).as("the next record is processed").isEqualTo(following.getVersion());
    assertThat(ingest.dlq.isEmpty()).isTrue();
    return letter;
  }

  private void assertRefused(DocumentEvent event, ReasonCode reason, String... messageParts) {
    DeadLetter letter = refused(event);
    assertThat(letter.getReason()).isEqualTo(reason.code());
    assertThat(letter.getMessage()).contains(messageParts);
  }

  @Test
  void tooManyMetadataEntries() {
    Map<String, String> metadata = IntStream.rangeClosed(1, 129).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v"));
    assertRefused(next().setMetadata(metadata).build(), ReasonCode.METADATA_TOO_MANY_ENTRIES,
        "129 entries", "128", IngestConfig.LIMIT_METADATA_ENTRIES);
  }

  @Test
  void metadataKeyTooLong() {
    assertRefused(next().setMetadata(Map.of("k".repeat(129), "v")).build(), ReasonCode.METADATA_KEY_TOO_LONG,
        "129 characters", IngestConfig.LIMIT_METADATA_KEY_CHARS);
  }

  @Test
  void metadataValueTooLong() {
    assertRefused(next().setMetadata(Map.of("team", "v".repeat(4097))).build(), ReasonCode.METADATA_VALUE_TOO_LONG,
        "'team'", "4097 characters", IngestConfig.LIMIT_METADATA_VALUE_CHARS);
  }

  @Test
  void metadataTooLargeInUtf8BytesAlthoughEveryEntryIsWithinItsLimits() {
    // 20 values of 2,000 characters (within 4,096) of 2 bytes each, and keys k0-k19: 80,050 bytes, over 65,536.
    Map<String, String> metadata = IntStream.range(0, 20).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "é".repeat(2000)));
    assertRefused(next().setMetadata(metadata).build(), ReasonCode.METADATA_TOO_LARGE, "80050 bytes", "65536",
        IngestConfig.LIMIT_METADATA_TOTAL_BYTES);
  }

  @Test
  void titleTooLong() {
    assertRefused(next().setTitle("t".repeat(1025)).build(), ReasonCode.TITLE_TOO_LONG, "1025", IngestConfig.LIMIT_TITLE_CHARS);
  }

  @Test
  void tooManyAclGroups() {
    List<String> groups = IntStream.range(0, 65).mapToObj(i -> "group-" + i).toList();
    assertRefused(next().setAclGroups(groups).build(), ReasonCode.TOO_MANY_ACL_GROUPS, "65 groups", IngestConfig.LIMIT_ACL_GROUPS);
  }

  @Test
  void aclGroupTooLong() {
    assertRefused(next().setAclGroups(List.of("staff", "g".repeat(257))).build(), ReasonCode.ACL_GROUP_TOO_LONG,
        "257 characters", IngestConfig.LIMIT_ACL_GROUP_CHARS);
  }

  @Test
  void sourceTooLong() {
    assertRefused(next().setSource("https://example.com/" + "s".repeat(4096)).build(), ReasonCode.SOURCE_TOO_LONG,
        "4116 characters", IngestConfig.LIMIT_SOURCE_CHARS);
  }

  @Test
  void traceIdTooLong() {
    assertRefused(next().setTraceId("t".repeat(257)).build(), ReasonCode.TRACE_ID_TOO_LONG, IngestConfig.LIMIT_TRACE_ID_CHARS);
  }

  @Test
  void contentTypeTooLong() {
    assertRefused(next().setContentType("text/" + "x".repeat(252)).build(), ReasonCode.CONTENT_TYPE_TOO_LONG,
        IngestConfig.LIMIT_CONTENT_TYPE_CHARS);
  }

  @Test
  void aDeleteIsHeldToTheSameLimits() {
    DocumentEvent oversizeDelete = DocumentEvent.newBuilder(delete("doc.txt", ++version)).setTitle("t".repeat(1025)).build();
    assertRefused(oversizeDelete, ReasonCode.TITLE_TOO_LONG, IngestConfig.LIMIT_TITLE_CHARS);
  }

  @Test
  void everyReasonIsCountedUnderItsOwnCode() {
    refused(next().setTitle("t".repeat(1025)).build());
    refused(next().setAclGroups(List.of("g".repeat(257))).build());
    refused(next().setAclGroups(List.of("g".repeat(257))).build());
    assertThat(failures(ReasonCode.TITLE_TOO_LONG)).isEqualTo(1);
    assertThat(failures(ReasonCode.ACL_GROUP_TOO_LONG)).isEqualTo(2);
  }

  @Test
  void configuredLimitsApply() {
    ingest.close();
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state2"), Map.of(IngestConfig.PARSE_ISOLATION, "thread",
        IngestConfig.LIMIT_ACL_GROUPS, "2", IngestConfig.LIMIT_TITLE_CHARS, "10"));
    assertRefused(next().setAclGroups(List.of("a", "b", "c")).build(), ReasonCode.TOO_MANY_ACL_GROUPS, "3 groups", "limit is 2");
    assertRefused(next().setTitle("eleven char").build(), ReasonCode.TITLE_TOO_LONG, "limit is 10");
    ingest.send(next().setAclGroups(List.of("a", "b")).setTitle("ten chars!").build());
    assertThat(ingest.dlq.isEmpty()).as("at the configured limits").isTrue();
    assertThat(manifestOf(ingest.drainChunks()).getDocVersion()).isEqualTo(version);
  }

  @Test
  void anEventAtEveryLimitYieldsPointsUnderTheIndexPayloadLimit() {
    EventLimits limits = EventLimits.DEFAULT;
    Map<String, String> metadata = new HashMap<>();
    // 16 entries of exactly 4,096 bytes each: the 65,536-byte total, "language" (stored twice) at its largest.
    metadata.put("language", "l".repeat(4096 - "language".length()));
    IntStream.range(0, 15).forEach(i -> metadata.put(String.format("k%02d", i), "v".repeat(4096 - 3)));
    String docId = "d".repeat(DocumentEventValidator.MAX_DOC_ID);
    // Three-byte characters wherever a field is counted in characters.
    DocumentEvent event = upsert(docId, 1, IntStream.range(0, 8).mapToObj(i -> TEXT).collect(Collectors.joining("\n\n")))
        .setTitle("€".repeat(limits.titleChars()))
        .setSource("€".repeat(limits.sourceChars()))
        .setTraceId("€".repeat(limits.traceIdChars()))
        .setAclGroups(Collections.nCopies(limits.aclGroups(), "€".repeat(limits.aclGroupChars())))
        .setMetadata(metadata)
        .build();
    assertThat(metadata.entrySet().stream().mapToInt(e -> utf8(e.getKey()) + utf8(e.getValue())).sum())
        .isEqualTo(limits.metadataTotalBytes());
    ingest.send(event);
    assertThat(ingest.dlq.isEmpty()).as("valid at every limit").isTrue();
    List<Chunk> chunks = chunksOf(ingest.drainChunks());
    assertThat(chunks).isNotEmpty();
    assertThat(chunks).allSatisfy(c -> assertThat(payloadBytes(c)).isLessThanOrEqualTo(EventLimits.PAYLOAD_LIMIT_BYTES));
    assertThat(chunks.stream().mapToLong(FieldLimitsTest::payloadBytes).max().orElseThrow())
        .as("the event comes close to the limit: the test would notice a field that is not held").isGreaterThan(130_000L);
  }

  /** As {@code PointChecks.payloadBytes} counts a point made of this chunk. */
  private static long payloadBytes(Chunk chunk) {
    DocumentInfo info = chunk.getDocument();
    long size = utf8(chunk.getText()) + utf8(info.getSource()) + utf8(chunk.getSection())
        + utf8(Optional.ofNullable(info.getTitle()).orElse("")) + utf8(chunk.getContentHash()) + utf8(chunk.getDocId())
        + utf8(Optional.ofNullable(info.getContentType()).orElse("")) + utf8(Optional.ofNullable(info.getLanguage()).orElse(""));
    for (Map.Entry<String, String> entry : info.getMetadata().entrySet()) {
      size += utf8(entry.getKey()) + utf8(entry.getValue());
    }
    for (String group : info.getAclGroups()) {
      size += utf8(group);
    }
    return size;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private double failures(ReasonCode reason) {
    Counter counter = ingest.registry.find("sluice.ingest.failures").tag("reason", reason.code()).counter();
    return counter == null ? 0 : counter.count();
  }
}
