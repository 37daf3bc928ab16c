package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.index.lucene.ScoreFusion.Fused;
import dev.sluice.index.lucene.ScoreFusion.Ranking;
import dev.sluice.index.lucene.ScoreFusion.Scored;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreFusionTest {

  private static List<Scored<String>> hits(Object... itemsAndScores) {
    List<Scored<String>> hits = new ArrayList<>();
    for (int i = 0; i < itemsAndScores.length; i += 2) {
      hits.add(new Scored<>((String) itemsAndScores[i], ((Number) itemsAndScores[i + 1]).doubleValue()));
    }
    return hits;
  }

  private static Ranking<String> dense(Object... itemsAndScores) {
    return Ranking.of(hits(itemsAndScores), ScoreFusion.DENSE_WEIGHT);
  }

  private static Ranking<String> keyword(Object... itemsAndScores) {
    return Ranking.of(hits(itemsAndScores), ScoreFusion.KEYWORD_WEIGHT);
  }

  private static Ranking<String> equal(Object... itemsAndScores) {
    return Ranking.of(hits(itemsAndScores), 1);
  }

  @Test
  void scoresMapFromThreeSigmasAroundTheMeanToZeroAndOne() {
    // Mean 2, sample standard deviation 1.
    double[] normalised = ScoreFusion.normalised(equal("a", 3, "b", 2, "c", 1));

    assertThat(normalised[0]).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(normalised[1]).isCloseTo(0.5, within(1e-12));
    assertThat(normalised[2]).isCloseTo(2.0 / 6, within(1e-12));
  }

  @Test
  void aSingleScoreOrEqualScoresNormaliseToOneHalf() {
    assertThat(ScoreFusion.normalised(equal("a", 7))).containsExactly(0.5);
    assertThat(ScoreFusion.normalised(equal("a", 2, "b", 2))).containsExactly(0.5, 0.5);
    assertThat(ScoreFusion.normalised(equal())).isEmpty();
  }

  /** Below mean − 3σ a score would turn negative: found would count less than not found. */
  @Test
  void normalisedScoresAreFlooredAtZero() {
    List<Object> scores = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      scores.add("near" + i);
      scores.add(1.0 - i * 0.001);
    }
    scores.add("outlier");
    scores.add(0.0);

    double[] normalised = ScoreFusion.normalised(equal(scores.toArray()));

    assertThat(normalised[30]).isZero();
    assertThat(normalised[0]).isBetween(0.5, 1.0);
  }

  /** The missing items of a deeper ranking score 0: a lone match of a rare term stands out (mean 1, σ = √11). */
  @Test
  void aRankingNormalisesOverItsDepthWithTheMissingScoringZero() {
    double[] alone = ScoreFusion.normalised(new Ranking<>(hits("rare", 11), 1, 11));

    assertThat(alone[0]).isCloseTo((10 + 3 * Math.sqrt(11)) / (6 * Math.sqrt(11)), within(1e-12)).isGreaterThan(1);
    assertThat(ScoreFusion.normalised(new Ranking<>(hits("rare", 11), 1, 1))).containsExactly(0.5);
    assertThatThrownBy(() -> new Ranking<>(hits("a", 1, "b", 2), 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theScaleOfARankingDoesNotMatterOnlyItsShape() {
    List<Fused<String>> small = ScoreFusion.fuse(List.of(equal("a", 0.9, "b", 0.8), equal("b", 12, "c", 3)), 10);
    List<Fused<String>> large = ScoreFusion.fuse(List.of(equal("a", 90, "b", 80), equal("b", 1.2, "c", 0.3)), 10);

    assertThat(small).extracting(Fused::item).containsExactly("b", "a", "c");
    assertThat(large).extracting(Fused::item).containsExactlyElementsOf(small.stream().map(Fused::item).toList());
    for (int i = 0; i < small.size(); i++) {
      assertThat(large.get(i).score()).isCloseTo(small.get(i).score(), within(1e-9));
    }
  }

  /** Two scores normalise to 1/2 ± √2/12; each ranking's share is its weight times that. */
  @Test
  void theDenseRankingOutweighsTheKeywordRanking() {
    List<Fused<String>> fused = ScoreFusion.fuse(List.of(dense("d", 0.9, "x", 0.5), keyword("k", 9, "y", 5)), 10);

    assertThat(fused).extracting(Fused::item).containsExactly("d", "k", "x", "y");
    assertThat(fused.get(0).score()).isCloseTo(0.6 * (0.5 + Math.sqrt(2) / 12), within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(0.4 * (0.5 + Math.sqrt(2) / 12), within(1e-12));
  }

  /** Unlike rank fusion, margins count: a keyword hit far above the rest overtakes a dense hit barely first. */
  @Test
  void aClearMarginInOneRankingBeatsANarrowLeadInTheOther() {
    List<Fused<String>> fused = ScoreFusion.fuse(List.of(
        dense("near", 0.801, "clear", 0.800, "p", 0.6, "q", 0.5),
        keyword("clear", 30, "near", 4, "r", 3.9, "s", 3.8)), 10);

    assertThat(fused.getFirst().item()).isEqualTo("clear");
  }

  @Test
  void tiesGoToTheBetterSingleRankThenToTheEarlierRanking() {
    List<Fused<String>> fused = ScoreFusion.fuse(List.of(equal("a", 2, "b", 1), equal("c", 2, "d", 1)), 10);

    assertThat(fused).extracting(Fused::item).containsExactly("a", "c", "b", "d");
  }

  @Test
  void keepsOnlyTheLimitAndAcceptsEmptyRankings() {
    assertThat(ScoreFusion.fuse(List.of(dense("a", 3, "b", 2, "c", 1), keyword()), 2))
        .extracting(Fused::item)
        .containsExactly("a", "b");
    assertThat(ScoreFusion.fuse(List.of(dense(), keyword()), 5)).isEmpty();
  }
}
