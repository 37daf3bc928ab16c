package dev.sluice.index.lucene;

import static dev.sluice.index.TestPoints.axis;
import static dev.sluice.index.TestPoints.id;
import static dev.sluice.index.TestPoints.point;
import static dev.sluice.index.TestPoints.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.TestPoints;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.VectorIndexContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorIndexTest extends VectorIndexContract {

  @TempDir Path dir;

  @Override
  protected VectorIndex newIndex() {
    return LuceneVectorIndex.openWritable(dir.resolve("index"));
  }

  @Override
  protected void awaitSearchable(VectorIndex index) {
    ((LuceneVectorIndex) index).refresh();
  }

  @Test
  void anUpsertIsSearchableWithinASecondWithoutCommitOrRefresh() {
    index.upsert(List.of(point("p1").text("freshness matters").build()));

    await(Duration.ofSeconds(1), () -> !search(ACME, SearchMode.KEYWORD, null, "freshness").isEmpty());
  }

  @Test
  void aReadOnlyInstanceSeesPointsOnceTheWriterCommits() {
    try (LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(dir.resolve("index"))) {
      index.upsert(List.of(point("p1").text("committed words").build()));
      awaitSearchable(index);
      assertThat(reader.count()).isZero();
      assertThat(reader.search(new SearchRequest(ACME, axis(0), "committed", 5, SearchMode.HYBRID))).isEmpty();

      index.commit();

      await(Duration.ofSeconds(3), () -> reader.count() == 1);
      assertThat(reader.search(new SearchRequest(ACME, axis(0), "committed", 5, SearchMode.HYBRID)))
          .extracting(hit -> hit.payload().chunkId())
          .containsExactly(id("p1"));
      assertThat(reader.modelId()).contains(TestPoints.MODEL);
    }
  }

  @Test
  void aReadOnlyInstanceOfAMissingIndexIsEmptyAndRefusesWrites() {
    try (LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(dir.resolve("nothing-yet"))) {
      assertThat(reader.count()).isZero();
      assertThat(reader.modelId()).isEmpty();
      assertThat(reader.search(new SearchRequest(ACME, axis(0), "x", 5, SearchMode.HYBRID))).isEmpty();
      assertThatThrownBy(() -> reader.upsert(List.of(point("p1").build())))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("read-only");
      assertThatThrownBy(reader::commit).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void pointsAndModelSurviveCloseAndReopen() {
    index.upsert(List.of(point("p1").build(), point("p2").ordinal(1).deletedAt(TestPoints.T0).build()));
    index.close();
    index.close();

    index = LuceneVectorIndex.openWritable(dir.resolve("index"));

    assertThat(index.modelId()).contains(TestPoints.MODEL);
    assertThat(index.count()).isEqualTo(1);
    assertThat(index.documentPoints("acme", "doc-1")).extracting(p -> p.chunkId()).containsExactly(id("p1"), id("p2"));
  }

  /** Every task of the worker commits on every Kafka commit; only one of them should cost an fsync. */
  @Test
  void aCommitWithNothingNewIsSkipped() throws Exception {
    index.upsert(List.of(point("p1").build()));
    index.commit();
    long generation = committedGeneration();

    index.commit();
    assertThat(committedGeneration()).isEqualTo(generation);
    index.upsert(List.of(point("p2").ordinal(1).build()));
    index.commit();
    assertThat(committedGeneration()).isGreaterThan(generation);
  }

  private long committedGeneration() throws java.io.IOException {
    try (var directory = org.apache.lucene.store.FSDirectory.open(dir.resolve("index"))) {
      return org.apache.lucene.index.SegmentInfos.readLatestCommit(directory).getGeneration();
    }
  }

  /** Indexes written before points could be staged have no staged field: their points stay visible. */
  @Test
  void pointsWrittenBeforeStagingExistedReadAsVisible() throws IOException {
    index.close();
    IndexPoint legacy = point("p1").text("legacy words").build();
    Document document = PointDocuments.toDocument(legacy, VectorSimilarityFunction.COSINE);
    document.removeField(PointFields.STAGED);
    try (var directory = FSDirectory.open(dir.resolve("index"));
        var writer = new IndexWriter(directory, new IndexWriterConfig(KeywordAnalysis.perField()).setCodec(new HnswCodec()))) {
      writer.updateDocument(new Term(PointFields.ID, legacy.id()), document);
    }

    index = LuceneVectorIndex.openWritable(dir.resolve("index"));

    assertThat(index.count()).isEqualTo(1);
    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(legacy.payload());
    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "legacy"))).containsExactly(id("p1"));
    index.upsert(List.of(point("p1").text("legacy words").docVersion(2).staged().build()));
    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(legacy.payload());
  }

  /**
   * Indexes written before stemming hold the chunk text, analysed without it, in the text field
   * itself: keyword search still finds their points, beside points written since.
   */
  @Test
  void pointsWrittenBeforeStemmingAreStillFoundByKeyword() throws IOException {
    index.close();
    IndexPoint legacy = point("p1").text("Kafka's rebalancing protocols").build();
    Document document = PointDocuments.toDocument(legacy, VectorSimilarityFunction.COSINE);
    for (String field : List.of(PointFields.TEXT, PointFields.CHUNK_TEXT, PointFields.TITLE_TERMS)) {
      document.removeFields(field);
    }
    document.add(new TextField(PointFields.TEXT, legacy.payload().text(), Store.YES));
    try (var directory = FSDirectory.open(dir.resolve("index"));
        var writer = new IndexWriter(directory, new IndexWriterConfig(KeywordAnalysis.perField()).setCodec(new HnswCodec()))) {
      writer.updateDocument(new Term(PointFields.ID, legacy.id()), document);
    }
    index = LuceneVectorIndex.openWritable(dir.resolve("index"));
    upsert(point("p2").text("rebalancing protocols").ordinal(1).build());

    assertThat(index.documentPoints("acme", "doc-1").getFirst()).isEqualTo(legacy.payload());
    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "protocols"))).containsExactlyInAnyOrder(id("p1"), id("p2"));
    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "Kafka's"))).containsExactly(id("p1"));
  }

  @Test
  void keywordSearchMatchesInflectionsAndTheTitle() {
    IndexPoint untitled = point("titled").text("nothing relevant here").ordinal(1).build();
    IndexPoint titled = new IndexPoint(untitled.id(), untitled.vector(),
        untitled.payload().toBuilder().title(Optional.of("Connections")).build());
    upsert(
        point("stemmed").text("the brokers were connecting").noTitle().build(),
        titled,
        point("neither").text("unrelated words").noTitle().ordinal(2).build());

    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "connected")))
        .containsExactlyInAnyOrder(id("stemmed"), id("titled"));
  }

  /** Found by the chaos suite: a restarted worker's first write may be the publish of points an earlier process staged. */
  @Test
  void aFreshlyOpenedIndexCanPublishWhatAnEarlierProcessStaged() {
    IndexPoint staged = point("p1").staged().build();
    index.upsert(List.of(staged));
    index.commit();
    index.close();

    index = LuceneVectorIndex.openWritable(dir.resolve("index"));
    index.publish("acme", java.util.Map.of(staged.id(), staged.payload().toBuilder().staged(false).build()), List.of());

    assertThat(index.count()).isEqualTo(1);
  }

  /** A reopen waits for a step to end, so waiting for one inside a step is refused, not a hang. */
  @Test
  void waitingForAReopenInsideOneStepIsRefused() {
    try (WritableStore store = WritableStore.open(dir.resolve("store"), new IndexWriterConfig())) {
      store.inOneStep(() -> {
        store.update(new Term("id", "x"), new Document());
        assertThatThrownBy(store::refresh).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside one step");
      });
      assertThat(store.readOwnWrites(s -> s.getIndexReader().numDocs(), 0)).isEqualTo(1);
    }
  }

  @Test
  void aSecondWriterOnTheSameDirectoryIsRefused() {
    assertThatThrownBy(() -> LuceneVectorIndex.openWritable(dir.resolve("index")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already open for writing");
  }

  /**
   * Two dense hits normalise to 1/2 ± √2/12 whatever their cosines (mean ± 3σ of two scores); the
   * one keyword hit, beside the other candidate's 0, to 1/2 + √2/12 too. Hybrid scores are those,
   * weighted 0.6 and 0.4, summed per point.
   */
  @Test
  void hybridScoresAreWeightedSumsOfDistributionNormalisedScores() {
    upsert(
        point("both").text("zebra").vector(axis(0)).build(),
        point("dense").text("other").vector(unit(1, 0.5f)).ordinal(1).build());

    List<SearchHit> hits = search(ACME, SearchMode.HYBRID, axis(0), "zebra");

    assertThat(chunkIds(hits)).containsExactly(id("both"), id("dense"));
    assertThat(hits.get(0).score()).isCloseTo((float) (0.6 * (0.5 + Math.sqrt(2) / 12) + 0.4 * (0.5 + Math.sqrt(2) / 12)),
        within(1e-6f));
    assertThat(hits.get(1).score()).isCloseTo((float) (0.6 * (0.5 - Math.sqrt(2) / 12)), within(1e-6f));
  }

  @Test
  void queryTextIsNeverParsedAsSyntax() {
    upsert(point("p1").text("title: report (draft)").build());

    for (String hostile : List.of("title:", "AND OR NOT", "(((", "\"unbalanced", "*:*", "report~2^3 [a TO z]", "\\")) {
      assertThat(search(ACME, SearchMode.KEYWORD, null, hostile)).as(hostile).isNotNull();
    }
    assertThat(search(ACME, SearchMode.KEYWORD, null, "*:*")).isEmpty();
  }

  @Test
  void aVectorOfTheWrongDimensionIsRefused() {
    upsert(point("p1").build());

    assertThatThrownBy(() -> index.upsert(List.of(point("p2").vector(new float[] {1f, 0f}).build())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", timeout).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
