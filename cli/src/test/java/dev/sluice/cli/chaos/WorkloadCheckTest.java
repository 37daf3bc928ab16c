package dev.sluice.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.chaos.ChaosWorkload.Expectation;
import dev.sluice.cli.chaos.IndexSnapshot.DocumentState;
import dev.sluice.cli.chaos.IndexSnapshot.Point;
import dev.sluice.cli.chaos.IndexSnapshot.Status;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WorkloadCheckTest {

  @Test
  void aDocumentAsTheWorkloadImpliesPasses() {
    IndexSnapshot snapshot = snapshot(Map.of(
        "docs/a.txt", doc(new Status("indexed", 5, 1, "", "", 5), Map.of("p", new Point(5, false, false))),
        "docs/b.txt", doc(new Status("deleted", 3, 0, "", "", -1), Map.of("q", new Point(1, true, false))),
        "docs/c.txt", doc(new Status("failed", 1, 0, "ingest/empty", "", -1), Map.of())));
    assertThat(WorkloadCheck.deviations(snapshot, Map.of("docs/a.txt", new Expectation("indexed", 5),
        "docs/b.txt", new Expectation("deleted", 3), "docs/c.txt", new Expectation("failed", 1)))).isEmpty();
  }

  @Test
  void anOldVersionAStagedLeftoverOrAVisibleDeletedPointIsADeviation() {
    IndexSnapshot snapshot = snapshot(Map.of(
        "docs/a.txt", doc(new Status("indexed", 4, 1, "", "", 4), Map.of("p", new Point(4, false, false))),
        "docs/b.txt", doc(new Status("indexed", 5, 1, "", "", 5), Map.of("p", new Point(5, false, false), "s", new Point(2, false, true))),
        "docs/c.txt", doc(new Status("deleted", 3, 0, "", "", -1), Map.of("q", new Point(1, false, false)))));
    assertThat(WorkloadCheck.deviations(snapshot, Map.of("docs/a.txt", new Expectation("indexed", 5),
        "docs/b.txt", new Expectation("indexed", 5), "docs/c.txt", new Expectation("deleted", 3), "docs/d.txt", new Expectation("indexed", 5))))
        .hasSize(4);
  }

  private static DocumentState doc(Status status, Map<String, Point> points) {
    return new DocumentState(Optional.of(status), new TreeMap<>(points), 0);
  }

  private static IndexSnapshot snapshot(Map<String, DocumentState> docs) {
    return new IndexSnapshot(new TreeMap<>(docs), 0);
  }
}
