package dev.sluice.cli.chaos;

import dev.sluice.cli.chaos.ChaosWorkload.Expectation;
import dev.sluice.cli.chaos.IndexSnapshot.DocumentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the clean run against what the workload itself implies (every document's final state and
 * version, and that a live document has visible points), so the baseline every faulty run is compared
 * with is not merely "whatever the pipeline did" but what it should have done.
 */
final class WorkloadCheck {
  private WorkloadCheck() {}

  /** Deviations of {@code snapshot} from {@code expectations}, one line each; empty when it holds. */
  static List<String> deviations(IndexSnapshot snapshot, Map<String, Expectation> expectations) {
    List<String> deviations = new ArrayList<>();
    expectations.forEach((docId, expected) -> {
      DocumentState actual = snapshot.documents().getOrDefault(docId, DocumentState.ABSENT);
      String found = actual.status().map(s -> s.state() + " v" + s.version()).orElse("no status");
      boolean statusHolds = actual.status().filter(s -> s.state().equals(expected.state()) && s.version() == expected.version()).isPresent();
      if (!statusHolds) {
        deviations.add(docId + ": " + found + ", the workload implies " + expected.state() + " v" + expected.version());
        return;
      }
      var points = actual.points().values();
      // A published version owns all of the document's points; a delete marks every one; an invalid
      // document never had any.
      boolean holds = switch (expected.state()) {
        case "indexed" -> !points.isEmpty() && points.stream().allMatch(p -> !p.deleted() && !p.staged() && p.docVersion() == expected.version());
        case "deleted" -> points.stream().allMatch(IndexSnapshot.Point::deleted);
        default -> points.isEmpty();
      };
      if (!holds || actual.extraCopies() > 0) {
        deviations.add(docId + ": " + expected.state() + " v" + expected.version() + " but its points are " + actual.points().values()
            + (actual.extraCopies() > 0 ? " with " + actual.extraCopies() + " duplicate copies" : ""));
      }
    });
    return deviations;
  }
}
