package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.Chunk;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.Operation;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest topology with real Tika and the real model tokenizer, driven by TopologyTestDriver. */
class IngestTopologyTest {
  private static EmbeddingModel model;
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");

  @TempDir Path temp;
  private IngestDriver ingest;
  private TestInputTopic<String, DocumentEvent> documents;
  private TestInputTopic<String, byte[]> rawDocuments;
  private TestOutputTopic<String, ChunkTopicRecord> chunks;
  private TestOutputTopic<String, DeadLetter> dlq;
  private Path allowed;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @BeforeEach
  void start() throws Exception {
    allowed = Files.createDirectories(temp.resolve("allowed"));
    // Thread isolation keeps these tests fast; ParseIsolationIT and HostileCorpusIT run parse workers.
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"),
        Map.of(IngestConfig.ALLOWED_ROOTS, allowed.toString(), IngestConfig.PARSE_ISOLATION, "thread"));
    documents = ingest.documents;
    rawDocuments = ingest.rawDocuments;
    chunks = ingest.chunks;
    dlq = ingest.dlq;
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  static DocumentEvent.Builder upsert(String docId, long version, String text) {
    return DocumentEvent.newBuilder().setTenant("acme").setDocId(docId).setOp(Operation.UPSERT).setVersion(version)
        .setEventTime(Instant.now()).setSource("file:///" + docId)
        .setContent(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  private void send(DocumentEvent event) {
    documents.pipeInput(event.getTenant() + "/" + event.getDocId(), event);
  }

  private List<ChunkTopicRecord> drainChunks() {
    return chunks.readValuesToList();
  }

  private static DocumentManifest manifestOf(List<ChunkTopicRecord> records) {
    assertThat(records).isNotEmpty();
    assertThat(records.get(records.size() - 1).getBody()).as("the manifest closes the version").isInstanceOf(DocumentManifest.class);
    return (DocumentManifest) records.get(records.size() - 1).getBody();
  }

  @Test
  void textDocumentBecomesChunksThenItsManifest() {
    send(upsert("notes.txt", 1, "The first paragraph talks about harbours and ferries.\n\nThe second paragraph is about mountain railways and tunnels.").build());
    List<ChunkTopicRecord> out = drainChunks();
    DocumentManifest manifest = manifestOf(out);
    List<Chunk> emitted = out.subList(0, out.size() - 1).stream().map(r -> (Chunk) r.getBody()).toList();
    assertThat(emitted).extracting(Chunk::getChunkId).containsExactlyElementsOf(manifest.getChunkIds());
    assertThat(emitted).allSatisfy(c -> {
      assertThat(c.getTenant()).isEqualTo("acme");
      assertThat(c.getDocVersion()).isEqualTo(1L);
      assertThat(c.getTokenCount()).isLessThanOrEqualTo(256);
      assertThat(c.getDocument().getContentType()).startsWith("text/plain");
    });
    assertThat(String.join(" ", emitted.stream().map(Chunk::getText).toList())).contains("harbours").contains("mountain railways");
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void everyAcceptedVersionIsReportedPendingInEmbedAndARefusedOneIsNot() {
    send(upsert("notes.txt", 1, "A paragraph about harbours.").build());
    send(upsert("notes.txt", 2, "A paragraph about harbours.").build());
    send(IngestDriver.delete("notes.txt", 3));
    send(upsert("notes.txt", 3, "stale: version 3 was already accepted").build());
    send(upsert("bad.txt", 1, "x").setTenant("Not A Tenant").build());

    assertThat(ingest.progress.readValuesToList()).extracting(p -> p.getDocId() + "@" + p.getDocVersion() + ":" + p.getStage())
        .containsExactly("notes.txt@1:embed", "notes.txt@2:embed", "notes.txt@3:embed");
  }

  @Test
  void unchangedParagraphsKeepTheirIdsAcrossVersions() {
    String para = "Paragraph number %d describes the %s in careful detail so that it stands alone as a chunk of its own, with enough words to never count as a heading.";
    String v1 = String.format(para, 1, "harbour") + "\n\n" + String.format(para, 2, "lighthouse") + "\n\n" + String.format(para, 3, "orchard");
    String v2 = String.format(para, 1, "harbour") + "\n\n" + String.format(para, 2, "glacier") + "\n\n" + String.format(para, 3, "orchard");
    send(upsert("doc.txt", 1, v1).build());
    List<String> first = manifestOf(drainChunks()).getChunkIds();
    send(upsert("doc.txt", 2, v2).build());
    List<String> second = manifestOf(drainChunks()).getChunkIds();
    assertThat(first).hasSize(3);
    assertThat(second).hasSize(3);
    assertThat(second.get(0)).isEqualTo(first.get(0));
    assertThat(second.get(1)).isNotEqualTo(first.get(1));
    assertThat(second.get(2)).isEqualTo(first.get(2));
  }

  @Test
  void staleVersionIsDropped() {
    send(upsert("doc.txt", 5, "Version five of the document.").build());
    drainChunks();
    send(upsert("doc.txt", 4, "An older version arriving late.").build());
    send(upsert("doc.txt", 5, "The same version again.").build());
    assertThat(chunks.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void deletePassesThroughAsAManifestWithoutChunks() {
    send(upsert("doc.txt", 1, "Some text to delete later.").build());
    drainChunks();
    send(DocumentEvent.newBuilder(upsert("doc.txt", 2, "").build()).setOp(Operation.DELETE).setContent(null).build());
    List<ChunkTopicRecord> out = drainChunks();
    assertThat(out).hasSize(1);
    DocumentManifest manifest = manifestOf(out);
    assertThat(manifest.getOp()).isEqualTo(Operation.DELETE);
    assertThat(manifest.getDocVersion()).isEqualTo(2L);
    assertThat(manifest.getChunkIds()).isEmpty();
  }

  @Test
  void malformedRecordGoesToDeadLettersAndTheNextOneIsProcessed() {
    rawDocuments.pipeInput("acme/broken", "{not avro at all".getBytes(StandardCharsets.UTF_8));
    send(upsert("fine.txt", 1, "A perfectly fine document.").build());
    DeadLetter letter = dlq.readValue();
    assertThat(letter.getStage()).isEqualTo("ingest");
    assertThat(letter.getReason()).isEqualTo("malformed-record");
    assertThat(letter.getKey()).isEqualTo("acme/broken");
    assertThat(letter.getTopic()).isEqualTo(TOPICS.documents().name());
    assertThat(letter.getOriginalValue()).isNotNull();
    assertThat(manifestOf(drainChunks()).getDocId()).isEqualTo("fine.txt");
  }

  @Test
  void invalidTenantIsRejectedWithTheRule() {
    send(DocumentEvent.newBuilder(upsert("doc.txt", 1, "text").build()).setTenant("Not A Tenant!").build());
    DeadLetter letter = dlq.readValue();
    assertThat(letter.getReason()).isEqualTo("invalid-event");
    assertThat(letter.getMessage()).contains("tenant");
    assertThat(chunks.isEmpty()).isTrue();
  }

  @Test
  void referenceOutsideTheAllowedRootsIsRefusedUnread() throws Exception {
    Path outside = Files.writeString(temp.resolve("secret.txt"), "not for you");
    send(DocumentEvent.newBuilder(upsert("escape.txt", 1, "").build()).setContent(null)
        .setContentRef(allowed.toUri() + "../secret.txt").build());
    send(DocumentEvent.newBuilder(upsert("passwd", 1, "").build()).setContent(null).setContentRef("file:///etc/passwd").build());
    assertThat(dlq.readValuesToList()).extracting(DeadLetter::getReason).containsExactly("reference-not-allowed", "reference-not-allowed");
    assertThat(chunks.isEmpty()).isTrue();
    assertThat(outside).exists();
  }

  @Test
  void referenceUnderAnAllowedRootIsRead() throws Exception {
    Path file = Files.writeString(allowed.resolve("big.txt"), "Content travelling by reference, read from an allowed root.");
    send(DocumentEvent.newBuilder(upsert("big.txt", 1, "").build()).setContent(null).setContentRef(file.toUri().toString()).build());
    List<ChunkTopicRecord> out = drainChunks();
    assertThat(((Chunk) out.get(0).getBody()).getText()).contains("travelling by reference");
  }

  @Test
  void corruptPdfGetsItsReason() {
    byte[] notReallyPdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage garbage".getBytes(StandardCharsets.US_ASCII);
    send(DocumentEvent.newBuilder(upsert("broken.pdf", 1, "").build()).setContent(ByteBuffer.wrap(notReallyPdf)).build());
    DeadLetter letter = dlq.readValue();
    assertThat(letter.getReason()).isIn("corrupt", "empty");
    assertThat(letter.getDocVersion()).isEqualTo(1L);
  }

  @Test
  void htmlTitleAndTextAreExtracted() {
    String html = "<html><head><title>Marmalade</title></head><body><h1>Bergamot marmalade</h1><p>Simmer the peel for three hours.</p></body></html>";
    send(upsert("recipe.html", 1, html).build());
    List<ChunkTopicRecord> out = drainChunks();
    Chunk chunk = (Chunk) out.get(0).getBody();
    assertThat(chunk.getDocument().getTitle()).isEqualTo("Marmalade");
    assertThat(chunk.getDocument().getContentType()).startsWith("text/html");
    assertThat(chunk.getText()).contains("Simmer the peel").doesNotContain("<p>");
  }

  /** Renaming an operator or store orphans its state: this makes such a rename visible. */
  @Test
  void operatorAndStoreNamesAreStable() {
    String description = IngestTopology.build(IngestConfig.from(Map.of()), model.tokenizer(), new SimpleMeterRegistry()).describe().toString();
    assertThat(description)
        .contains("Source: documents-live-source (topics: [documents])")
        .contains("Source: documents-backfill-source (topics: [documents.backfill])")
        .contains("Processor: ingest-document (stores: [ingest-document-content, ingest-document-versions])")
        .contains("Sink: chunks-sink (topic: chunks)")
        .contains("Sink: dlq-sink (topic: dlq)")
        .contains("Sink: progress-sink (topic: progress)");
  }
}
