package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The measures on rankings small enough to compute by hand (log2 3 = 1.5849625). */
class RetrievalMetricsTest {
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void ndcgUsesLinearGainsAndTheIdealOrderOfTheJudgments() {
    // d1 (grade 1) at rank 1, d3 (grade 2) at rank 3: DCG = 1/1 + 2/2 = 2; IDCG = 2/1 + 1/log2 3.
    Map<String, Integer> grades = Map.of("d1", 1, "d3", 2, "d9", 0);
    double expected = 2 / (2 + 1 / LOG2_3);
    assertThat(RetrievalMetrics.ndcg(List.of("d1", "d2", "d3"), grades, 10)).isCloseTo(expected, within(1e-12));
    assertThat(expected).isCloseTo(0.76019, within(1e-5));
    // Cut at 2: only d1 counts; the ideal is cut at 2 as well.
    assertThat(RetrievalMetrics.ndcg(List.of("d1", "d2", "d3"), grades, 2)).isCloseTo(1 / (2 + 1 / LOG2_3), within(1e-12));
    assertThat(RetrievalMetrics.ndcg(List.of("d3", "d1"), grades, 10)).isEqualTo(1.0);
    assertThat(RetrievalMetrics.ndcg(List.of("d9", "d2"), grades, 10)).isZero();
    assertThat(RetrievalMetrics.ndcg(List.of(), grades, 10)).isZero();
    assertThat(RetrievalMetrics.ndcg(List.of("d1"), Map.of("d1", 0), 10)).isZero();
  }

  @Test
  void recallCountsRelevantDocumentsWithinTheCut() {
    Map<String, Integer> grades = Map.of("a", 1, "b", 3, "c", 1, "z", 0);
    assertThat(RetrievalMetrics.recall(List.of("a", "x", "b", "z", "c"), grades, 2)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RetrievalMetrics.recall(List.of("a", "x", "b", "z", "c"), grades, 3)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(RetrievalMetrics.recall(List.of("a", "x", "b", "z", "c"), grades, 100)).isEqualTo(1.0);
    assertThat(RetrievalMetrics.recall(List.of("z"), grades, 10)).isZero();
  }

  @Test
  void reciprocalRankOfTheFirstRelevantDocumentWithinTheCut() {
    Map<String, Integer> grades = Map.of("r", 1, "n", 0);
    assertThat(RetrievalMetrics.reciprocalRank(List.of("r"), grades, 10)).isEqualTo(1.0);
    assertThat(RetrievalMetrics.reciprocalRank(List.of("n", "x", "r"), grades, 10)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RetrievalMetrics.reciprocalRank(List.of("n", "x", "r"), grades, 2)).isZero();
  }

  @Test
  void nearestRankPercentiles() {
    List<Double> values = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 9.0, 8.0, 7.0, 6.0);
    assertThat(RetrievalMetrics.percentile(values, 50)).isEqualTo(5.0);
    assertThat(RetrievalMetrics.percentile(values, 99)).isEqualTo(10.0);
    assertThat(RetrievalMetrics.percentile(values, 10)).isEqualTo(1.0);
    assertThat(RetrievalMetrics.percentile(List.of(), 50)).isZero();
    assertThat(RetrievalMetrics.mean(List.of(1.0, 2.0, 6.0))).isEqualTo(3.0);
  }
}
