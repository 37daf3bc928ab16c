package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.byReference;
import static dev.sluice.ingest.IngestDriver.chunksOf;
import static dev.sluice.ingest.IngestDriver.manifestOf;
import static dev.sluice.ingest.IngestDriver.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process isolation (the default): documents are parsed in parse worker JVMs; one whose parse overruns
 * the timeout, or exhausts the worker's heap, goes to the dead-letter topic with its reason, and the
 * partition moves on with a new worker.
 */
class ParseIsolationIT {
  private static EmbeddingModel model;
  @TempDir Path temp;
  private IngestDriver ingest;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @AfterEach
  void stop() {
    if (ingest != null) {
      ingest.close();
    }
  }

  /** About 40 MB of HTML: seconds of parsing, and more than a small heap holds. */
  static byte[] hugeHtml() {
    StringBuilder html = new StringBuilder(41 << 20).append("<html><body>");
    String paragraph = "<div><p>Row of the endless ledger with <b>bold</b> and <i>italic</i> words in it.</p></div>\n";
    while (html.length() < 40 << 20) {
      html.append(paragraph);
    }
    return html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
  }

  private IngestDriver driver(Map<String, String> extra) throws IOException {
    Map<String, String> settings = new HashMap<>(Map.of(
        IngestConfig.ALLOWED_ROOTS, Files.createDirectories(temp.resolve("allowed")).toString(),
        IngestConfig.MAX_CHARS, "100000000"));
    settings.putAll(extra);
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"), settings);
    return ingest;
  }

  private String reference(String name, byte[] content) throws IOException {
    return Files.write(temp.resolve("allowed").resolve(name), content).toUri().toString();
  }

  private void assertNextDocumentFlows(String docId) {
    ingest.send(upsert(docId, 1, "<html><body><h1>Afterwards</h1><p>The next document is parsed by a fresh worker.</p></body></html>").build());
    List<dev.sluice.events.ChunkTopicRecord> out = ingest.drainChunks();
    assertThat(manifestOf(out).getChunkIds()).hasSize(1);
    assertThat(chunksOf(out).get(0).getSection()).isEqualTo("Afterwards");
  }

  @Test
  void aParseOverrunningTheTimeoutIsKilledAndThePartitionMovesOn() throws IOException {
    driver(Map.of(IngestConfig.PARSE_TIMEOUT, "1500"));
    assertNextDocumentFlows("warm-up.html");
    String slow = reference("ledger.html", hugeHtml());
    long start = System.nanoTime();
    ingest.send(byReference("ledger.html", 1, slow).build());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    DeadLetter letter = ingest.dlq.readValue();
    assertThat(letter.getReason()).isEqualTo("parse-timeout");
    assertThat(letter.getMessage()).contains("1500 ms");
    assertThat(tookMs).as("stopped at the timeout, not at the end of the parse").isLessThan(6_000);
    assertThat(ingest.chunks.isEmpty()).isTrue();
    assertNextDocumentFlows("after-timeout.html");
  }

  @Test
  void aParseExhaustingTheWorkerHeapFailsAloneAsTooLarge() throws IOException {
    driver(Map.of(IngestConfig.PARSE_WORKER_HEAP, "64", IngestConfig.PARSE_TIMEOUT, "60000"));
    String heavy = reference("ledger.html", hugeHtml());
    ingest.send(byReference("ledger.html", 1, heavy).build());
    DeadLetter letter = ingest.dlq.readValue();
    assertThat(letter.getReason()).isEqualTo("too-large");
    assertThat(letter.getMessage()).contains("64 MiB");
    assertThat(letter.getExceptionClass()).isEqualTo(OutOfMemoryError.class.getName());
    assertNextDocumentFlows("after-oom.html");
  }

  @Test
  void failuresInTheWorkerKeepTheirReasonAndExceptionClass() throws IOException {
    driver(Map.of());
    ingest.send(upsert("locked.pdf", 1, FailureReasonsTest.pdf("Numbers nobody may read.", true)).build());
    DeadLetter letter = ingest.dlq.readValue();
    assertThat(letter.getReason()).isEqualTo("encrypted");
    assertThat(letter.getExceptionClass()).isNotBlank();
    assertNextDocumentFlows("after-encrypted.html");
  }
}
