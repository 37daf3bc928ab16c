package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.chunksOf;
import static dev.sluice.ingest.IngestDriver.delete;
import static dev.sluice.ingest.IngestDriver.manifestOf;
import static dev.sluice.ingest.IngestDriver.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.ChunkTopicRecord;
import dev.sluice.events.DocumentEvent;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.Operation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The version guard and content dedup, through the topology. */
class DedupAndVersionTest {
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

  @BeforeEach
  void start() {
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state"), Map.of(IngestConfig.PARSE_ISOLATION, "thread"));
  }

  @AfterEach
  void stop() {
    ingest.close();
  }

  private static String handbook(String middle) {
    return IntStream.range(0, 12)
        .mapToObj(i -> i == 6 ? middle : "Paragraph " + i + " of the handbook explains how the night shift inspects the copper valves, records each reading in the blue ledger and reports anomalies to the harbour master before dawn.")
        .collect(Collectors.joining("\n\n"));
  }

  @Test
  void unchangedContentProducesOnlyAManifestWithTheSameChunkIds() {
    ingest.send(upsert("handbook.txt", 1, handbook("The original middle paragraph.")).build());
    List<ChunkTopicRecord> first = ingest.drainChunks();
    DocumentManifest v1 = manifestOf(first);
    assertThat(chunksOf(first)).hasSizeGreaterThan(1);

    ingest.send(upsert("handbook.txt", 2, handbook("The original middle paragraph.")).setTitle("Handbook, 2nd printing")
        .setAclGroups(List.of("ops")).build());
    List<ChunkTopicRecord> second = ingest.drainChunks();

    assertThat(second).as("a manifest alone").hasSize(1);
    DocumentManifest v2 = manifestOf(second);
    assertThat(v2.getDocVersion()).isEqualTo(2L);
    assertThat(v2.getOp()).isEqualTo(Operation.UPSERT);
    assertThat(v2.getChunkIds()).isEqualTo(v1.getChunkIds());
    assertThat(v2.getContentHash()).isEqualTo(v1.getContentHash());
    assertThat(v2.getDocument().getTitle()).as("metadata flows on").isEqualTo("Handbook, 2nd printing");
    assertThat(v2.getDocument().getAclGroups()).containsExactly("ops");
    assertThat(v2.getDocument().getContentType()).startsWith("text/plain");
    assertThat(ingest.documents("unchanged")).isEqualTo(1.0);
  }

  @Test
  void cosmeticChangesCountAsUnchanged() {
    String tidy = handbook("The original middle paragraph.");
    ingest.send(upsert("handbook.txt", 1, tidy).build());
    DocumentManifest v1 = manifestOf(ingest.drainChunks());
    String messy = "\n\n  " + tidy.replace(" ", "  ").replace("\n\n", "\r\n \r\n\r\n") + "\n\n\n";
    ingest.send(upsert("handbook.txt", 2, messy).build());
    List<ChunkTopicRecord> second = ingest.drainChunks();
    assertThat(second).hasSize(1);
    assertThat(manifestOf(second).getChunkIds()).isEqualTo(v1.getChunkIds());
  }

  @Test
  void anEditEmitsChunksAgainAndKeepsTheIdsOfUntouchedParagraphs() {
    ingest.send(upsert("handbook.txt", 1, handbook("The original middle paragraph.")).build());
    DocumentManifest v1 = manifestOf(ingest.drainChunks());
    ingest.send(upsert("handbook.txt", 2, handbook("A rewritten middle paragraph about the brass lanterns of the pier.")).build());
    List<ChunkTopicRecord> second = ingest.drainChunks();
    DocumentManifest v2 = manifestOf(second);
    assertThat(chunksOf(second)).hasSize(v2.getChunkIds().size());
    List<String> changed = v2.getChunkIds().stream().filter(id -> !v1.getChunkIds().contains(id)).toList();
    assertThat(changed).hasSizeBetween(1, 2);
    assertThat(v2.getContentHash()).isNotEqualTo(v1.getContentHash());
  }

  @Test
  void staleVersionsAreDroppedAndCounted() {
    ingest.send(upsert("doc.txt", 5, "Version five of the document, with enough words to be a chunk.").build());
    ingest.drainChunks();
    ingest.send(upsert("doc.txt", 4, "An older version arriving late.").build());
    ingest.send(upsert("doc.txt", 5, "The same version again.").build());
    ingest.send(delete("doc.txt", 3));
    assertThat(ingest.chunks.isEmpty()).isTrue();
    assertThat(ingest.dlq.isEmpty()).isTrue();
    assertThat(ingest.documents("stale")).isEqualTo(3.0);
  }

  @Test
  void deleteFlowsOnAndALaterUnchangedUpsertEmitsItsChunksAgain() {
    String text = handbook("The original middle paragraph.");
    ingest.send(upsert("handbook.txt", 1, text).build());
    List<ChunkTopicRecord> first = ingest.drainChunks();

    ingest.send(delete("handbook.txt", 2));
    List<ChunkTopicRecord> deleted = ingest.drainChunks();
    assertThat(deleted).hasSize(1);
    assertThat(manifestOf(deleted).getOp()).isEqualTo(Operation.DELETE);
    assertThat(manifestOf(deleted).getDocVersion()).isEqualTo(2L);

    ingest.send(upsert("handbook.txt", 3, text).build());
    List<ChunkTopicRecord> restored = ingest.drainChunks();
    assertThat(chunksOf(restored)).as("the index retired them: they must flow again").hasSize(chunksOf(first).size());
    assertThat(manifestOf(restored).getChunkIds()).isEqualTo(manifestOf(first).getChunkIds());
    assertThat(manifestOf(restored).getDocVersion()).isEqualTo(3L);
  }

  @Test
  void aFailedVersionDoesNotBlockTheNextOne() {
    ingest.send(upsert("doc.txt", 1, "First version, parsed and accepted without trouble.").build());
    ingest.drainChunks();
    ingest.send(upsert("doc.txt", 2, new byte[0]).build());
    assertThat(ingest.dlq.readValue().getReason()).isEqualTo("empty");
    ingest.send(upsert("doc.txt", 2, "Version two, published again after the fix.").build());
    assertThat(manifestOf(ingest.drainChunks()).getDocVersion()).isEqualTo(2L);
  }

  @Test
  void perTenantBudgetsApply() {
    ingest.close();
    ingest = new IngestDriver(model.tokenizer(), temp.resolve("state2"), Map.of(IngestConfig.PARSE_ISOLATION, "thread",
        IngestConfig.CHUNK_MAX_TOKENS_TENANT + "small", "64", IngestConfig.CHUNK_OVERLAP_TENANT + "small", "0"));
    String text = IntStream.range(0, 6).mapToObj(i -> handbook("").lines().filter(l -> !l.isBlank()).limit(3).collect(Collectors.joining(" ")))
        .collect(Collectors.joining("\n\n"));
    ingest.send(upsert("doc.txt", 1, text).build());
    ingest.send(DocumentEvent.newBuilder(upsert("doc.txt", 1, text).build()).setTenant("small").build());
    List<ChunkTopicRecord> out = ingest.drainChunks();
    var acme = chunksOf(out).stream().filter(c -> c.getTenant().equals("acme")).toList();
    var small = chunksOf(out).stream().filter(c -> c.getTenant().equals("small")).toList();
    assertThat(small.size()).isGreaterThan(acme.size());
    assertThat(small).allSatisfy(c -> assertThat(c.getTokenCount()).isLessThanOrEqualTo(64));
  }
}
