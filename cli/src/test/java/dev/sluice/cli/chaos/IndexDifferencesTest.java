package dev.sluice.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.chaos.IndexSnapshot.DocumentState;
import dev.sluice.cli.chaos.IndexSnapshot.Point;
import dev.sluice.cli.chaos.IndexSnapshot.Status;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IndexDifferencesTest {
  private static final Status INDEXED = new Status("indexed", 2, 2, "", "", 2);
  private static final Map<String, Point> TWO_POINTS = Map.of("a", new Point(2, false, false), "b", new Point(2, false, false));

  @Test
  void equalIndexesHaveNoDifference() {
    IndexDifferences diff = IndexDifferences.between(snapshot(doc(INDEXED, TWO_POINTS, 0)), snapshot(doc(INDEXED, TWO_POINTS, 0)));
    assertThat(diff).isEqualTo(new IndexDifferences(0, 0, 0, java.util.List.of()));
  }

  @Test
  void aMissingPointIsLost() {
    IndexDifferences diff = IndexDifferences.between(snapshot(doc(INDEXED, TWO_POINTS, 0)),
        snapshot(doc(INDEXED, Map.of("a", new Point(2, false, false)), 0)));
    assertThat(diff.mismatches()).isEqualTo(1);
    assertThat(diff.lost()).isEqualTo(1);
    assertThat(diff.duplicated()).isZero();
    assertThat(diff.examples()).singleElement().asString().contains("lost point b");
  }

  @Test
  void anExtraPointOrAnExtraCopyIsDuplicated() {
    Map<String, Point> three = new TreeMap<>(TWO_POINTS);
    three.put("c", new Point(1, false, true));
    assertThat(IndexDifferences.between(snapshot(doc(INDEXED, TWO_POINTS, 0)), snapshot(doc(INDEXED, three, 0))).duplicated()).isEqualTo(1);
    assertThat(IndexDifferences.between(snapshot(doc(INDEXED, TWO_POINTS, 0)), snapshot(doc(INDEXED, TWO_POINTS, 1))).duplicated()).isEqualTo(1);
  }

  @Test
  void anotherVersionFlagOrStatusIsAMismatch() {
    Map<String, Point> older = Map.of("a", new Point(1, false, false), "b", new Point(2, false, false));
    Map<String, Point> deleted = Map.of("a", new Point(2, true, false), "b", new Point(2, false, false));
    IndexSnapshot clean = snapshot(doc(INDEXED, TWO_POINTS, 0));
    assertThat(IndexDifferences.between(clean, snapshot(doc(INDEXED, older, 0))).mismatches()).isEqualTo(1);
    assertThat(IndexDifferences.between(clean, snapshot(doc(INDEXED, deleted, 0))).mismatches()).isEqualTo(1);
    IndexDifferences status = IndexDifferences.between(clean, snapshot(doc(new Status("failed", 2, 2, "index/chunks-missing", "", -1), TWO_POINTS, 0)));
    assertThat(status.mismatches()).isEqualTo(1);
    assertThat(status.lost() + status.duplicated()).isZero();
  }

  @Test
  void aDocumentOnlyOneSideKnowsIsAMismatch() {
    IndexSnapshot clean = snapshot(doc(INDEXED, TWO_POINTS, 0));
    IndexSnapshot empty = new IndexSnapshot(new TreeMap<>(), 0);
    assertThat(IndexDifferences.between(clean, empty)).satisfies(d -> {
      assertThat(d.mismatches()).isEqualTo(1);
      assertThat(d.lost()).isEqualTo(2);
    });
    assertThat(IndexDifferences.between(empty, clean).duplicated()).isEqualTo(2);
  }

  private static DocumentState doc(Status status, Map<String, Point> points, int extraCopies) {
    return new DocumentState(Optional.of(status), new TreeMap<>(points), extraCopies);
  }

  private static IndexSnapshot snapshot(DocumentState doc) {
    return new IndexSnapshot(new TreeMap<>(Map.of("docs/doc-1.txt", doc)), doc.points().size());
  }
}
