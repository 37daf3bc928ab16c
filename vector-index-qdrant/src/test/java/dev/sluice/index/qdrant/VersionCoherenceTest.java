package dev.sluice.index.qdrant;

import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.SearchHit;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionCoherenceTest {

  private static SearchHit hit(String name, String doc, long version, float score) {
    return new SearchHit(point(name).doc(doc).docVersion(version).build().payload(), score);
  }

  @Test
  void aResponseCaughtMidPublishKeepsOnlyTheNewestVersionOfEachDocumentInRankOrder() {
    SearchHit old1 = hit("old-1", "doc-1", 1, 0.9f);
    SearchHit new1 = hit("new-1", "doc-1", 2, 0.8f);
    SearchHit other = hit("other", "doc-2", 1, 0.7f);
    SearchHit old2 = hit("old-2", "doc-1", 1, 0.6f);
    SearchHit new2 = hit("new-2", "doc-1", 2, 0.5f);

    assertThat(VersionCoherence.latestVersionsOnly(List.of(old1, new1, other, old2, new2)))
        .containsExactly(new1, other, new2);
  }

  @Test
  void aCoherentResponseIsLeftAsItIs() {
    List<SearchHit> hits = List.of(hit("a", "doc-1", 3, 0.9f), hit("b", "doc-2", 1, 0.8f), hit("c", "doc-1", 3, 0.7f));

    assertThat(VersionCoherence.latestVersionsOnly(hits)).isEqualTo(hits);
    assertThat(VersionCoherence.latestVersionsOnly(List.of())).isEmpty();
  }
}
