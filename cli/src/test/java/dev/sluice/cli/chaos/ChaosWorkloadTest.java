package dev.sluice.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.chaos.ChaosWorkload.Delete;
import dev.sluice.cli.chaos.ChaosWorkload.Step;
import dev.sluice.cli.chaos.ChaosWorkload.Touch;
import dev.sluice.cli.chaos.ChaosWorkload.Upsert;
import dev.sluice.cli.chaos.ChaosWorkload.Write;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosWorkloadTest {

  @Test
  void aSeedAlwaysGivesTheSameWorkload() {
    ChaosWorkload a = ChaosWorkload.generate(42, 200);
    ChaosWorkload b = ChaosWorkload.generate(42, 200);
    assertThat(a.steps()).isEqualTo(b.steps());
    assertThat(a.expectations()).isEqualTo(b.expectations());
    assertThat(ChaosWorkload.generate(43, 200).steps()).isNotEqualTo(a.steps());
  }

  @Test
  void editsDeletesAndRepublishesTakeTheirShares() {
    ChaosWorkload.Summary summary = ChaosWorkload.generate(7, 1000).summary();
    assertThat(summary.documents()).isEqualTo(1000);
    assertThat(summary.invalid()).isEqualTo(10);
    assertThat(summary.edits()).isEqualTo(200);
    assertThat(summary.deletes()).isEqualTo(100);
    assertThat(summary.restores()).isEqualTo(50);
    assertThat(summary.unchangedRepublishes()).isEqualTo(100);
    assertThat(summary.resends()).isEqualTo(50);
    assertThat(summary.lateEdits()).isEqualTo(50);
    assertThat(summary.byReference()).isPositive();
    assertThat(ChaosWorkload.generate(7, 1000).expectations()).hasSize(1010);
  }

  @Test
  void everyDocumentStartsWithOneToThreeParagraphs() {
    Map<String, String> first = new HashMap<>();
    for (Step step : ChaosWorkload.generate(3, 300).steps()) {
      if (step instanceof Write w && w.path().startsWith("docs/doc-")) {
        first.putIfAbsent(w.path(), w.content());
      }
    }
    assertThat(first).hasSize(300);
    assertThat(first.values()).allSatisfy(text -> assertThat(text.split("\n\n")).hasSizeBetween(1, 3));
  }

  /** Each event of a document carries a newer version than the one before, except the deliberate resends. */
  @Test
  void versionsOnlyGrowExceptForResends() {
    ChaosWorkload workload = ChaosWorkload.generate(11, 300);
    Map<String, Long> current = new HashMap<>();
    Map<String, Long> lastPublished = new HashMap<>();
    int resends = 0;
    for (Step step : workload.steps()) {
      switch (step) {
        case Write w -> current.put(w.path(), w.version());
        case Touch t -> current.put(t.path(), t.version());
        case Upsert u -> resends += published(u.path(), current, lastPublished);
        case Delete d -> resends += published(d.path(), current, lastPublished);
      }
    }
    assertThat(resends).isEqualTo(workload.summary().resends());
    workload.expectations().forEach((docId, expected) -> assertThat(expected.version()).isEqualTo(lastPublished.get(docId)));
  }

  private static int published(String path, Map<String, Long> current, Map<String, Long> lastPublished) {
    long version = current.get(path);
    Long before = lastPublished.put(path, version);
    assertThat(before == null || version >= before).as("version of %s goes back", path).isTrue();
    return before != null && before == version ? 1 : 0;
  }

  @Test
  void theLastEventOfADocumentDecidesWhatItsStatusMustBe() {
    ChaosWorkload workload = ChaosWorkload.generate(5, 200);
    Map<String, String> last = new HashMap<>();
    for (Step step : workload.steps()) {
      if (step instanceof Upsert u) {
        last.put(u.path(), "upsert");
      } else if (step instanceof Delete d) {
        last.put(d.path(), "delete");
      }
    }
    workload.expectations().forEach((docId, expected) -> {
      String state = expected.state();
      assertThat(state).isIn(last.get(docId).equals("delete") ? List.of("deleted") : List.of("indexed", "failed"));
    });
  }
}
