package dev.sluice.index;

import static dev.sluice.index.TestPoints.T0;
import static dev.sluice.index.TestPoints.axis;
import static dev.sluice.index.TestPoints.id;
import static dev.sluice.index.TestPoints.point;
import static dev.sluice.index.TestPoints.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link VectorIndex} adapter must do, whatever its engine. An adapter's test extends
 * this class and supplies a fresh empty index and a way to wait until writes are searchable.
 */
public abstract class VectorIndexContract {

  protected static final SearchScope ACME = new SearchScope("acme", Set.of());

  protected VectorIndex index;

  /** A new, empty index, writable. */
  protected abstract VectorIndex newIndex();

  /** Blocks until every write made so far is visible to {@code search}. */
  protected abstract void awaitSearchable(VectorIndex index);

  @BeforeEach
  void openIndex() {
    index = newIndex();
  }

  @AfterEach
  void closeIndex() {
    index.close();
  }

  protected void upsert(IndexPoint... points) {
    index.upsert(List.of(points));
    awaitSearchable(index);
  }

  protected List<SearchHit> search(SearchScope scope, SearchMode mode, float[] vector, String text) {
    return index.search(new SearchRequest(scope, vector, text, 10, mode));
  }

  protected static List<String> chunkIds(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.payload().chunkId()).toList();
  }

  protected static List<String> ids(String... names) {
    return Arrays.stream(names).map(TestPoints::id).toList();
  }

  @Test
  void upsertIsIdempotent() {
    IndexPoint[] points = {point("p1").build(), point("p2").ordinal(1).build(), point("p3").ordinal(2).build()};
    upsert(points);
    upsert(points);

    assertThat(index.count()).isEqualTo(3);
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("p1", "p2", "p3"));
    assertThat(search(ACME, SearchMode.DENSE, axis(0), null)).hasSize(3);
  }

  @Test
  void aZeroVectorIsRefusedAsInvalid() {
    IndexPoint zero = point("z").vector(new float[unit(0).length]).build();

    assertThatThrownBy(() -> index.validate(zero)).isInstanceOf(PointRejectedException.class)
        .extracting(e -> ((PointRejectedException) e).reason()).isEqualTo(PointRejectedException.INVALID_VECTOR);
    assertThatThrownBy(() -> index.upsert(List.of(zero))).isInstanceOf(PointRejectedException.class);
  }

  @Test
  void flagsRoundTripAndFilterInAndOut() {
    upsert(point("clean").build(), point("flagged").ordinal(1).flags(PointPayload.PROMPT_INJECTION).build());

    assertThat(index.documentPoints("acme", "doc-1")).filteredOn(p -> p.chunkId().equals(TestPoints.id("flagged")))
        .singleElement().satisfies(p -> assertThat(p.flags()).containsExactly(PointPayload.PROMPT_INJECTION));
    SearchFilters onlyFlagged = new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.empty(), Optional.empty(), Set.of(PointPayload.PROMPT_INJECTION), Set.of());
    SearchFilters withoutFlagged = new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.empty(), Optional.empty(), Set.of(), Set.of(PointPayload.PROMPT_INJECTION));
    for (SearchMode mode : SearchMode.values()) {
      assertThat(chunkIds(index.search(new SearchRequest(ACME, axis(0), "text", 10, mode, onlyFlagged)))).as(mode.name())
          .containsExactly(TestPoints.id("flagged"));
      assertThat(chunkIds(index.search(new SearchRequest(ACME, axis(0), "text", 10, mode, withoutFlagged)))).as(mode.name())
          .containsExactly(TestPoints.id("clean"));
    }
  }

  @Test
  void countOfOneTenantCountsOnlyItsVisiblePoints() {
    upsert(point("p1").build(), point("p2").ordinal(1).build(), point("b1").tenant("beta").build(),
        point("s1").ordinal(2).staged().build());

    assertThat(index.count("acme")).isEqualTo(2);
    assertThat(index.count("beta")).isEqualTo(1);
    assertThat(index.count("nobody")).isZero();
    index.markDeleted("beta", "doc-1", T0);
    assertThat(index.count("beta")).isZero();
    assertThat(index.count()).isEqualTo(2);
  }

  /** Stale-chunk retirement reads a document's ids right after writing its new chunks. */
  @Test
  void pointIdsCountAndSoftDeleteSeeTheWritesJustMade() {
    index.upsert(List.of(point("p1").build(), point("p2").ordinal(1).build()));
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("p1", "p2"));
    assertThat(index.count()).isEqualTo(2);

    index.upsert(List.of(point("p3").ordinal(2).build()));
    assertThat(index.markDeleted("acme", "doc-1", T0)).isEqualTo(3);
    assertThat(index.count()).isZero();
  }

  @Test
  void concurrentWritersAndReadersDoNotInterfere() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String doc = "doc-" + t;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            index.upsert(List.of(point(doc + "-" + i).doc(doc).ordinal(i).vector(unit(1, i)).build()));
            index.search(new SearchRequest(ACME, axis(0), "some text", 5, SearchMode.HYBRID));
          }
        }));
      }
      for (Future<?> task : tasks) {
        task.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(index.count()).isEqualTo(100);
    assertThat(index.documentPoints("acme", "doc-3")).hasSize(25);
  }

  @Test
  void upsertReplacesAPointById() {
    upsert(point("p1").text("old words").build());
    upsert(point("p1").text("new words").docVersion(2).build());

    assertThat(index.count()).isEqualTo(1);
    assertThat(index.documentPoints("acme", "doc-1"))
        .singleElement()
        .satisfies(p -> {
          assertThat(p.text()).isEqualTo("new words");
          assertThat(p.docVersion()).isEqualTo(2);
        });
    assertThat(search(ACME, SearchMode.KEYWORD, null, "old")).isEmpty();
  }

  @Test
  void returnsThePayloadAsWritten() {
    IndexPoint written =
        point("p1").meta("author", "ada").meta("tags", "x, y").acl("eng", "ops").noTitle().language(null).build();
    upsert(written);

    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(written.payload());
    assertThat(index.search(new SearchRequest(new SearchScope("acme", Set.of("ops")), axis(0), null, 1, SearchMode.DENSE)))
        .singleElement()
        .satisfies(hit -> assertThat(hit.payload()).isEqualTo(written.payload()));
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void aTenantNeverSeesAnotherTenantsPoints(SearchMode mode) {
    upsert(
        point("a1").tenant("alpha").text("shared secret words").vector(axis(0)).build(),
        point("b1").tenant("beta").doc("doc-b").text("unrelated").vector(axis(5)).build());
    SearchScope beta = new SearchScope("beta", Set.of());

    assertThat(chunkIds(search(beta, mode, axis(0), "shared secret words"))).doesNotContain(id("a1"));
    assertThat(index.pointIds("beta", "doc-1")).isEmpty();
    assertThat(index.documentPoints("beta", "doc-1")).isEmpty();
    index.deletePoints("beta", ids("a1"));
    assertThat(index.pointIds("alpha", "doc-1")).containsExactlyElementsOf(ids("a1"));
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void aclGroupsLimitWhoSeesAPoint(SearchMode mode) {
    upsert(
        point("public").text("quarterly report").build(),
        point("finance").text("quarterly report").acl("finance", "board").ordinal(1).build(),
        point("hr").text("quarterly report").acl("hr").ordinal(2).build());

    assertThat(chunkIds(search(ACME, mode, axis(0), "quarterly report")))
        .containsExactlyInAnyOrderElementsOf(ids("public"));
    assertThat(chunkIds(search(new SearchScope("acme", Set.of("board")), mode, axis(0), "quarterly report")))
        .containsExactlyInAnyOrderElementsOf(ids("public", "finance"));
    assertThat(chunkIds(search(new SearchScope("acme", Set.of("hr", "finance")), mode, axis(0), "quarterly report")))
        .containsExactlyInAnyOrderElementsOf(ids("public", "finance", "hr"));
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void deletedPointsAreNeverReturned(SearchMode mode) {
    upsert(
        point("live").text("lighthouse keeper").build(),
        point("gone").text("lighthouse keeper").ordinal(1).deletedAt(T0).build());

    assertThat(chunkIds(search(ACME, mode, axis(0), "lighthouse keeper"))).containsExactlyElementsOf(ids("live"));
    assertThat(index.count()).isEqualTo(1);
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("live", "gone"));
  }

  @Test
  void markDeletedHidesADocumentAndAnUpsertRestoresIt() {
    IndexPoint p1 = point("p1").text("harbour crane").build();
    IndexPoint p2 = point("p2").text("harbour crane").ordinal(1).build();
    upsert(p1, p2, point("other").doc("doc-2").build());
    Instant first = T0.plusSeconds(3600);

    assertThat(index.markDeleted("acme", "doc-1", first)).isEqualTo(2);
    assertThat(index.markDeleted("acme", "doc-1", first.plusSeconds(5))).isZero();
    awaitSearchable(index);

    assertThat(search(ACME, SearchMode.HYBRID, axis(0), "harbour crane")).extracting(h -> h.payload().docId())
        .containsOnly("doc-2");
    assertThat(index.count()).isEqualTo(1);
    assertThat(index.documentPoints("acme", "doc-1"))
        .allSatisfy(p -> {
          assertThat(p.deleted()).isTrue();
          assertThat(p.deletedAt()).contains(first);
        });

    upsert(p1, p2);
    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "harbour crane")))
        .containsExactlyInAnyOrderElementsOf(ids("p1", "p2"));
    assertThat(index.count()).isEqualTo(3);
  }

  @Test
  void purgeRemovesOnlyPointsDeletedBeforeTheCutoff() {
    upsert(
        point("old").deletedAt(T0).build(),
        point("recent").ordinal(1).deletedAt(T0.plusSeconds(100)).build(),
        point("live").ordinal(2).build());

    assertThat(index.purgeDeleted(T0.plusSeconds(50))).isEqualTo(1);
    assertThat(index.purgeDeleted(T0.plusSeconds(50))).isZero();
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("recent", "live"));
  }

  @Test
  void keywordSearchRanksTheExactMatchFirst() {
    upsert(
        point("cats").text("cats sleep most of the day in warm places").build(),
        point("kafka").text("kafka streams rebalances partitions across instances").ordinal(1).build(),
        point("mixed").text("the stream of cats across the street").ordinal(2).build());

    List<SearchHit> hits = search(ACME, SearchMode.KEYWORD, null, "kafka streams partitions");

    assertThat(hits).isNotEmpty();
    assertThat(hits.getFirst().payload().chunkId()).isEqualTo(id("kafka"));
    assertThat(chunkIds(hits)).doesNotContain(id("cats"));
  }

  @Test
  void keywordSearchOfTextWithoutTermsFindsNothing() {
    upsert(point("p1").text("anything").build());

    assertThat(search(ACME, SearchMode.KEYWORD, null, "  ")).isEmpty();
    assertThat(search(ACME, SearchMode.KEYWORD, null, "?! -- ...")).isEmpty();
  }

  @Test
  void denseSearchReturnsTheNearestVectorFirst() {
    upsert(
        point("far").vector(axis(3)).build(),
        point("near").vector(unit(1, 0.2f)).ordinal(1).build(),
        point("nearer").vector(unit(1, 0.05f)).ordinal(2).build(),
        point("mid").vector(unit(1, 1)).ordinal(3).build());

    List<SearchHit> hits = search(ACME, SearchMode.DENSE, axis(0), null);

    assertThat(chunkIds(hits)).containsExactlyElementsOf(ids("nearer", "near", "mid", "far"));
    assertThat(hits).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
  }

  @Test
  void denseSearchHonoursTopK() {
    for (int i = 0; i < 20; i++) {
      index.upsert(List.of(point("p" + i).ordinal(i).vector(unit(1, i)).build()));
    }
    awaitSearchable(index);

    List<SearchHit> hits = index.search(new SearchRequest(ACME, axis(0), null, 3, SearchMode.DENSE));

    assertThat(chunkIds(hits)).containsExactlyElementsOf(ids("p0", "p1", "p2"));
  }

  /**
   * "both" is only second by dense and second by keyword, yet it fuses first: it is the one point
   * both rankings agree on.
   */
  @Test
  void hybridFusesTheDenseAndKeywordRankings() {
    upsert(
        point("dense").text("alpha beta").vector(axis(0)).build(),
        point("keyword").text("zebra zebra").vector(axis(1)).ordinal(1).build(),
        point("both").text("zebra crossing lights").vector(unit(1, 0.5f)).ordinal(2).build(),
        point("neither").text("gamma delta").vector(unit(1, 1)).ordinal(3).build());

    assertThat(chunkIds(search(ACME, SearchMode.DENSE, axis(0), null)).getFirst()).isEqualTo(id("dense"));
    assertThat(chunkIds(search(ACME, SearchMode.KEYWORD, null, "zebra")).getFirst()).isEqualTo(id("keyword"));
    assertThat(chunkIds(search(ACME, SearchMode.HYBRID, axis(0), "zebra")))
        .containsExactlyElementsOf(ids("both", "keyword", "dense", "neither"));
  }

  @Test
  void deletePointsRemovesThoseIdsOnly() {
    upsert(point("p1").build(), point("p2").ordinal(1).build(), point("p3").ordinal(2).build());

    index.deletePoints("acme", List.of(id("p1"), id("p3"), id("unknown")));
    index.deletePoints("acme", List.of(id("p1")));
    index.deletePoints("acme", List.of());

    assertThat(index.pointIds("acme", "doc-1")).containsExactlyElementsOf(ids("p2"));
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void documentPointsAreOrderedByOrdinal() {
    upsert(
        point("c").ordinal(2).build(),
        point("a").ordinal(0).build(),
        point("other").doc("doc-2").ordinal(1).build(),
        point("b").ordinal(1).build());

    assertThat(index.documentPoints("acme", "doc-1")).extracting(PointPayload::chunkId)
        .containsExactlyElementsOf(ids("a", "b", "c"));
  }

  @Test
  void countCountsLivePointsOfAllTenants() {
    assertThat(index.count()).isZero();
    upsert(point("a").tenant("alpha").build(), point("b").tenant("beta").build(), point("d").deletedAt(T0).build());

    assertThat(index.count()).isEqualTo(2);
  }

  @Test
  void theFirstPointFixesTheModelAndOthersAreRefused() {
    assertThat(index.modelId()).isEmpty();
    upsert(point("p1").build());

    assertThat(index.modelId()).contains(TestPoints.MODEL);
    assertThatThrownBy(() -> index.upsert(List.of(point("p2").build(), point("p3").model("other-model").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other-model");
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyElementsOf(ids("p1"));
  }

  @Test
  void filtersNarrowTheSearch() {
    upsert(
        point("en").text("river delta").language("en").meta("tags", "geo, water").meta("tier", "gold").build(),
        point("fr").text("river delta").language("fr").doc("doc-2").eventTime(T0.plusSeconds(10)).build(),
        point("pdf").text("river delta").contentType("application/pdf").doc("doc-3")
            .eventTime(T0.plusSeconds(20)).build());

    assertThat(filtered(new SearchFilters(Set.of("doc-2"), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("fr"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of("wiki:doc-3"), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("pdf"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of(), Set.of("application/pdf"), Set.of(), Set.of(),
        Map.of(), Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("pdf"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of("fr"), Set.of(), Map.of(),
        Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("fr"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of(), Set.of("water", "none"), Map.of(),
        Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("en"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of("tier", "gold"),
        Optional.empty(), Optional.empty()))).containsExactlyElementsOf(ids("en"));
    assertThat(filtered(new SearchFilters(Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.of(T0), Optional.of(T0.plusSeconds(20))))).containsExactlyElementsOf(ids("fr"));
  }

  @Test
  void anOlderVersionNeverReplacesANewerPoint() {
    index.upsert(List.of(point("p1").text("second version").docVersion(2).build()));
    // Just written (not yet visible to a searcher) and, below, after the searcher caught up.
    index.upsert(List.of(point("p1").text("first version").docVersion(1).build()));
    assertThat(index.documentPoints("acme", "doc-1")).singleElement()
        .satisfies(p -> assertThat(p.docVersion()).isEqualTo(2));
    awaitSearchable(index);
    index.upsert(List.of(point("p1").text("first version").docVersion(1).build(), point("p2").ordinal(1).docVersion(1).build()));

    assertThat(index.documentPoints("acme", "doc-1")).extracting(PointPayload::docVersion).containsExactly(2L, 1L);
    assertThat(index.documentPoints("acme", "doc-1").getFirst().text()).isEqualTo("second version");
    index.upsert(List.of(point("p1").text("third version").docVersion(3).build()));
    assertThat(index.documentPoints("acme", "doc-1").getFirst().text()).isEqualTo("third version");
  }

  @Test
  void anOlderVersionCannotResurrectASoftDeletedPoint() {
    upsert(point("p1").text("harbour crane").docVersion(2).build());
    index.markDeleted("acme", "doc-1", T0);
    index.upsert(List.of(point("p1").text("harbour crane").docVersion(1).build()));
    awaitSearchable(index);

    assertThat(search(ACME, SearchMode.KEYWORD, null, "harbour crane")).isEmpty();
    assertThat(index.count()).isZero();
  }

  @Test
  void aHardDeletedIdIsFreeForAnyVersion() {
    upsert(point("p1").docVersion(5).build());
    index.deletePoints("acme", ids("p1"));
    index.upsert(List.of(point("p1").docVersion(1).build()));

    assertThat(index.documentPoints("acme", "doc-1")).singleElement()
        .satisfies(p -> assertThat(p.docVersion()).isEqualTo(1));
  }

  @Test
  void undeleteRestoresADocumentAsItWas() {
    IndexPoint p1 = point("p1").text("harbour crane").build();
    upsert(p1, point("p2").text("harbour crane").ordinal(1).build());
    index.markDeleted("acme", "doc-1", T0);

    assertThat(index.undelete("acme", "doc-1")).isEqualTo(2);
    assertThat(index.undelete("acme", "doc-1")).isZero();
    assertThat(index.undelete("beta", "doc-1")).isZero();
    awaitSearchable(index);

    assertThat(chunkIds(search(ACME, SearchMode.HYBRID, axis(0), "harbour crane")))
        .containsExactlyInAnyOrderElementsOf(ids("p1", "p2"));
    assertThat(index.documentPoints("acme", "doc-1").getFirst()).isEqualTo(p1.payload());
    assertThat(index.count()).isEqualTo(2);
  }

  @Test
  void setPayloadChangesMetadataAndVersionButKeepsTheVector() {
    IndexPoint p1 = point("p1").text("river delta").vector(axis(2)).build();
    upsert(p1, point("p2").ordinal(1).build());
    index.markDeleted("acme", "doc-1", T0);
    PointPayload restored = point("p1").text("river delta").docVersion(2).ordinal(4).acl("eng").meta("tier", "gold").build().payload();

    index.setPayload("acme", Map.of(id("p1"), restored, id("unknown"), point("unknown").build().payload()));
    index.setPayload("acme", Map.of(id("p1"), restored));
    awaitSearchable(index);

    assertThat(index.documentPoints("acme", "doc-1")).filteredOn(p -> !p.deleted()).containsExactly(restored);
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("p1", "p2"));
    List<SearchHit> hits = index.search(new SearchRequest(new SearchScope("acme", Set.of("eng")), axis(2), null, 1, SearchMode.DENSE));
    assertThat(hits).singleElement().satisfies(hit -> {
      assertThat(hit.payload().chunkId()).isEqualTo(id("p1"));
      assertThat(hit.score()).isGreaterThan(0.99f);
    });
    assertThat(search(ACME, SearchMode.DENSE, axis(2), null)).as("now visible to group eng only").isEmpty();
  }

  @Test
  void setPayloadIgnoresOlderVersionsAndOtherTenants() {
    upsert(point("p1").text("kept").docVersion(3).build());

    index.setPayload("acme", Map.of(id("p1"), point("p1").text("older").docVersion(2).build().payload()));
    index.setPayload("beta", Map.of(id("p1"), point("p1").tenant("beta").text("foreign").docVersion(9).build().payload()));

    assertThat(index.documentPoints("acme", "doc-1")).singleElement().satisfies(p -> assertThat(p.text()).isEqualTo("kept"));
    assertThat(index.documentPoints("beta", "doc-1")).isEmpty();
    assertThatThrownBy(() -> index.setPayload("acme", Map.of(id("p1"), point("p1").doc("doc-2").docVersion(4).build().payload())))
        .isInstanceOf(PointRejectedException.class);
  }

  @Test
  void documentVersionsListEachDocumentsVersions() {
    upsert(
        point("a1").docVersion(1).build(),
        point("a2").docVersion(2).ordinal(1).build(),
        point("a3").docVersion(2).ordinal(2).build(),
        point("b1").doc("doc-2").docVersion(7).deletedAt(T0).build(),
        point("x1").tenant("beta").docVersion(1).build());

    assertThat(index.documentVersions("acme")).containsExactly(
        new DocumentVersions("acme", "doc-1", new java.util.TreeMap<>(Map.of(1L, 1, 2L, 2)), 0, 0),
        new DocumentVersions("acme", "doc-2", new java.util.TreeMap<>(), 1, 0));
    assertThat(index.documentVersions("gamma")).isEmpty();
  }

  @Test
  void validateRefusesWhatUpsertWouldRefuseWithAReason() {
    upsert(point("p1").build());

    assertThat(index.dimension()).hasValue(TestPoints.DIMENSION);
    assertRejected(point("m").model("other-model").build(), PointRejectedException.MODEL_MISMATCH);
    assertRejected(point("d").vector(new float[] {1f, 0f}).build(), PointRejectedException.DIMENSION_MISMATCH);
    float[] nan = axis(1);
    nan[3] = Float.NaN;
    assertRejected(point("n").vector(nan).build(), PointRejectedException.INVALID_VECTOR);
    assertRejected(point("big").text("x".repeat(VectorIndex.MAX_PAYLOAD_BYTES + 1)).build(), PointRejectedException.PAYLOAD_TOO_LARGE);
    index.validate(point("ok").ordinal(1).build());
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyElementsOf(ids("p1"));
  }

  private void assertRejected(IndexPoint point, String reason) {
    assertThatThrownBy(() -> index.validate(point)).isInstanceOf(PointRejectedException.class)
        .satisfies(e -> assertThat(((PointRejectedException) e).reason()).isEqualTo(reason));
    assertThatThrownBy(() -> index.upsert(List.of(point("fine").ordinal(9).build(), point)))
        .isInstanceOf(PointRejectedException.class);
    assertThat(index.pointIds("acme", "doc-1")).doesNotContain(id("fine"));
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void noFilterReachesAnotherTenant(SearchMode mode) {
    upsert(point("a1").tenant("alpha").doc("shared").text("shared secret words").acl("ops").meta("tier", "gold")
        .vector(axis(0)).build());
    SearchScope beta = new SearchScope("beta", Set.of("ops"));
    SearchFilters everything = new SearchFilters(Set.of("shared"), Set.of("wiki:shared"), Set.of("text/plain"), Set.of("en"),
        Set.of(), Map.of("tier", "gold"), Optional.of(T0.minusSeconds(1)), Optional.empty());

    assertThat(index.search(new SearchRequest(beta, axis(0), "shared secret words", 10, mode, everything))).isEmpty();
    assertThat(index.markDeleted("beta", "shared", T0)).isZero();
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void hybridRanksAnExactKeywordMatchHighEvenWhenItsVectorIsFar() {
    List<IndexPoint> points = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      points.add(point("near" + i).ordinal(i).text("general notes about harbours number " + i).vector(unit(1, 0.01f * i)).build());
    }
    points.add(point("exact").ordinal(99).text("the zanzibar quokka protocol").vector(axis(7)).build());
    index.upsert(points);
    awaitSearchable(index);

    List<String> hybrid = chunkIds(index.search(new SearchRequest(ACME, axis(0), "zanzibar quokka protocol", 5, SearchMode.HYBRID)));
    assertThat(hybrid.indexOf(id("exact"))).isBetween(0, 1);
    assertThat(chunkIds(index.search(new SearchRequest(ACME, axis(0), null, 5, SearchMode.DENSE)))).doesNotContain(id("exact"));
  }

  @Test
  void upsertingAnEmptyBatchOrDeletingNothingIsHarmless() {
    index.upsert(List.of());
    index.deletePoints("acme", List.of());
    index.setPayload("acme", Map.of());
    assertThat(index.count()).isZero();
    assertThat(index.purgeDeleted(T0)).isZero();
  }

  @ParameterizedTest
  @EnumSource(SearchMode.class)
  void stagedPointsAreNeitherSearchedNorCounted(SearchMode mode) {
    IndexPoint staged = point("staged").text("lighthouse keeper").ordinal(1).docVersion(2).staged().build();
    upsert(point("visible").text("lighthouse keeper").build(), staged);
    SearchFilters thisDocument = new SearchFilters(Set.of("doc-1"), Set.of(), Set.of(), Set.of(), Set.of(), Map.of(),
        Optional.empty(), Optional.empty());

    assertThat(chunkIds(search(ACME, mode, axis(0), "lighthouse keeper"))).containsExactlyElementsOf(ids("visible"));
    assertThat(chunkIds(index.search(new SearchRequest(ACME, axis(0), "lighthouse keeper", 10, mode, thisDocument))))
        .containsExactlyElementsOf(ids("visible"));
    assertThat(index.count()).isEqualTo(1);
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(ids("visible", "staged"));
    assertThat(index.documentPoints("acme", "doc-1")).contains(staged.payload());
  }

  @Test
  void aStagedPointNeverReplacesAVisibleOne() {
    IndexPoint visible = point("p1").text("same words").build();
    index.upsert(List.of(visible));
    // Just written (not yet searchable) and, below, after the searcher caught up.
    index.upsert(List.of(point("p1").text("same words").docVersion(2).staged().build()));
    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(visible.payload());
    awaitSearchable(index);
    index.upsert(List.of(point("p1").text("same words").docVersion(3).staged().build()));

    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(visible.payload());
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void aStagedPointReplacesAStagedOrSoftDeletedOneAndAVisibleOneReplacesAStagedOne() {
    index.upsert(List.of(point("s").docVersion(2).staged().build()));
    IndexPoint newer = point("s").text("newer").docVersion(3).staged().build();
    index.upsert(List.of(newer));
    index.upsert(List.of(point("s").docVersion(2).staged().build()));
    upsert(point("d").ordinal(1).deletedAt(T0).build());
    IndexPoint restaged = point("d").ordinal(1).docVersion(2).staged().build();
    index.upsert(List.of(restaged));

    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(newer.payload(), restaged.payload());
    assertThat(index.count()).isZero();

    IndexPoint visible = point("s").text("newer").docVersion(3).build();
    upsert(visible);
    assertThat(index.documentPoints("acme", "doc-1").getFirst()).isEqualTo(visible.payload());
    assertThat(index.count()).isEqualTo(1);
  }

  /**
   * Version 2 keeps one chunk of version 1 (same id, so its staged write leaves the visible point as
   * it is), adds one and drops one; one publish moves the kept chunk to version 2, shows the added
   * one and removes the dropped one. No wait before publishing: it reads the writes just made.
   */
  @Test
  void publishMakesAVersionVisibleAndRetiresTheOldOneInOneCall() {
    upsert(point("kept").text("harbour crane").build(), point("dropped").text("harbour crane").ordinal(1).build());
    index.upsert(List.of(
        point("kept").text("harbour crane").docVersion(2).staged().build(),
        point("added").text("harbour crane").vector(unit(1, 0.1f)).ordinal(1).docVersion(2).staged().build()));
    Map<String, PointPayload> version2 = Map.of(
        id("kept"), point("kept").text("harbour crane").docVersion(2).build().payload(),
        id("added"), point("added").text("harbour crane").ordinal(1).docVersion(2).build().payload());

    index.publish("acme", version2, ids("dropped"));
    index.publish("acme", version2, ids("dropped"));
    awaitSearchable(index);

    assertThat(index.documentPoints("acme", "doc-1")).containsExactlyInAnyOrderElementsOf(version2.values());
    for (SearchMode mode : SearchMode.values()) {
      assertThat(search(ACME, mode, axis(0), "harbour crane")).as(mode.name())
          .extracting(hit -> hit.payload().docVersion()).containsExactly(2L, 2L);
    }
    assertThat(index.count()).isEqualTo(2);
    assertThat(index.documentVersions("acme"))
        .containsExactly(new DocumentVersions("acme", "doc-1", new java.util.TreeMap<>(Map.of(2L, 2)), 0, 0));
    List<SearchHit> added = index.search(new SearchRequest(ACME, unit(1, 0.1f), null, 1, SearchMode.DENSE));
    assertThat(added).singleElement().satisfies(hit -> {
      assertThat(hit.payload().chunkId()).as("published with the vector it was staged with").isEqualTo(id("added"));
      assertThat(hit.score()).isGreaterThan(0.99f);
    });
  }

  @Test
  void publishSkipsUnknownIdsOlderVersionsAndOtherTenants() {
    upsert(point("p1").text("kept").docVersion(3).build());

    index.publish("acme", Map.of(
        id("p1"), point("p1").text("older").docVersion(2).build().payload(),
        id("unknown"), point("unknown").build().payload()), List.of());
    index.publish("beta", Map.of(id("p1"), point("p1").tenant("beta").text("foreign").docVersion(9).build().payload()),
        ids("p1"));

    assertThat(index.documentPoints("acme", "doc-1")).singleElement().satisfies(p -> assertThat(p.text()).isEqualTo("kept"));
    assertThat(index.pointIds("acme", "doc-1")).containsExactlyElementsOf(ids("p1"));
    assertThat(index.documentPoints("beta", "doc-1")).isEmpty();
  }

  @Test
  void publishRejectsStagedOrDeletedOrMovingPayloadsAndWritesNothing() {
    upsert(point("old").build());
    IndexPoint staged = point("new").ordinal(1).docVersion(2).staged().build();
    IndexPoint other = point("other").ordinal(2).docVersion(2).staged().build();
    index.upsert(List.of(staged, other));
    PointPayload good = point("new").ordinal(1).docVersion(2).build().payload();

    List<Map<String, PointPayload>> refused = List.of(
        Map.of(id("new"), staged.payload()),
        Map.of(id("new"), point("new").ordinal(1).docVersion(2).deletedAt(T0).build().payload()),
        Map.of(id("new"), good, id("other"), other.payload()),
        Map.of(id("new"), good, id("other"), point("other").doc("doc-2").ordinal(2).docVersion(2).build().payload()));
    for (Map<String, PointPayload> payloads : refused) {
      assertThatThrownBy(() -> index.publish("acme", payloads, ids("old")))
          .isInstanceOf(PointRejectedException.class)
          .satisfies(e -> assertThat(((PointRejectedException) e).reason()).isEqualTo(PointRejectedException.INVALID_PAYLOAD));
    }
    awaitSearchable(index);

    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(point("old").build().payload(), staged.payload(), other.payload());
    assertThat(chunkIds(search(ACME, SearchMode.DENSE, axis(0), null))).containsExactlyElementsOf(ids("old"));
  }

  @Test
  void anIncompleteVersionStaysHidden() {
    upsert(point("a1").text("first edition").build(), point("a2").text("first edition").ordinal(1).build());
    // Version 2 has two chunks; the second never arrives, so the version is never published.
    upsert(point("b1").text("second edition").docVersion(2).staged().build());

    for (SearchMode mode : SearchMode.values()) {
      assertThat(search(ACME, mode, axis(0), "second edition")).as(mode.name())
          .extracting(hit -> hit.payload().docVersion()).containsOnly(1L);
    }
    assertThat(search(ACME, SearchMode.KEYWORD, null, "second")).isEmpty();
    assertThat(index.count()).isEqualTo(2);
    assertThat(index.documentVersions("acme"))
        .containsExactly(new DocumentVersions("acme", "doc-1", new java.util.TreeMap<>(Map.of(1L, 2)), 0, 1));
  }

  @Test
  void aPublishedVersionRetiresTheStagedLeftoversOfAnIncompleteOne() {
    upsert(point("a1").text("first").build());
    index.upsert(List.of(point("b1").text("second").ordinal(1).docVersion(2).staged().build()));
    index.upsert(List.of(point("c1").text("third").docVersion(3).staged().build()));
    PointPayload c1 = point("c1").text("third").docVersion(3).build().payload();

    index.publish("acme", Map.of(id("c1"), c1), ids("a1", "b1"));
    awaitSearchable(index);

    assertThat(index.documentPoints("acme", "doc-1")).containsExactly(c1);
    assertThat(index.documentVersions("acme"))
        .containsExactly(new DocumentVersions("acme", "doc-1", new java.util.TreeMap<>(Map.of(3L, 1)), 0, 0));
    assertThat(chunkIds(search(ACME, SearchMode.HYBRID, axis(0), "first second third"))).containsExactlyElementsOf(ids("c1"));
  }

  @Test
  void purgeRemovesStagedPointsWrittenBeforeTheCutoffOnly() {
    Instant cutoff = T0.plusSeconds(50);
    upsert(
        point("abandoned").docVersion(2).staged().indexedAt(T0).build(),
        point("in-flight").ordinal(1).docVersion(2).staged().indexedAt(T0.plusSeconds(100)).build(),
        point("at-cutoff").ordinal(2).docVersion(2).staged().indexedAt(cutoff).build(),
        point("visible").ordinal(3).indexedAt(T0).build(),
        point("deleted-later").ordinal(4).indexedAt(T0).deletedAt(T0.plusSeconds(100)).build());

    assertThat(index.purgeDeleted(cutoff)).isEqualTo(1);
    assertThat(index.purgeDeleted(cutoff)).isZero();
    assertThat(index.pointIds("acme", "doc-1"))
        .containsExactlyInAnyOrderElementsOf(ids("in-flight", "at-cutoff", "visible", "deleted-later"));
    assertThat(index.count()).isEqualTo(1);
  }

  @Test
  void documentVersionsCountStagedPointsApart() {
    upsert(
        point("a1").build(),
        point("a2").ordinal(1).build(),
        point("b1").ordinal(2).docVersion(2).staged().build(),
        point("b2").ordinal(3).docVersion(2).staged().build(),
        point("b3").ordinal(4).docVersion(2).staged().build(),
        point("gone").ordinal(5).deletedAt(T0).build(),
        point("x1").doc("doc-2").docVersion(4).staged().build());

    assertThat(index.documentVersions("acme")).containsExactly(
        new DocumentVersions("acme", "doc-1", new java.util.TreeMap<>(Map.of(1L, 2)), 1, 3),
        new DocumentVersions("acme", "doc-2", new java.util.TreeMap<>(), 0, 1));
  }

  @Test
  void publishingNothingOrOnlyUnknownIdsIsHarmless() {
    upsert(point("p1").build());

    index.publish("acme", Map.of(), List.of());
    index.publish("acme", Map.of(), ids("unknown"));

    assertThat(index.pointIds("acme", "doc-1")).containsExactlyElementsOf(ids("p1"));
    assertThat(index.count()).isEqualTo(1);
  }

  private List<String> filtered(SearchFilters filters) {
    return chunkIds(index.search(new SearchRequest(ACME, axis(0), "river delta", 10, SearchMode.HYBRID, filters)));
  }
}
