package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.index.lucene.ReciprocalRankFusion.Fused;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {

  @Test
  void scoresAreSumsOfReciprocalRanks() {
    List<Fused<String>> fused = ReciprocalRankFusion.fuse(List.of(List.of("a", "b"), List.of("b", "c")), 60, 10);

    assertThat(fused).extracting(Fused::item).containsExactly("b", "a", "c");
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 62 + 1.0 / 61, within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(1.0 / 61, within(1e-12));
    assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
  }

  @Test
  void agreementBeatsASingleFirstPlace() {
    List<Fused<String>> fused =
        ReciprocalRankFusion.fuse(List.of(List.of("x", "both", "y"), List.of("z", "both")), 60, 10);

    assertThat(fused.getFirst().item()).isEqualTo("both");
  }

  @Test
  void tiesGoToTheBetterSingleRankThenToTheEarlierRanking() {
    List<Fused<String>> fused = ReciprocalRankFusion.fuse(List.of(List.of("a", "b"), List.of("c", "d")), 60, 10);

    assertThat(fused).extracting(Fused::item).containsExactly("a", "c", "b", "d");
  }

  @Test
  void keepsOnlyTheLimitAndAcceptsEmptyRankings() {
    assertThat(ReciprocalRankFusion.fuse(List.of(List.of("a", "b", "c"), List.of()), 60, 2))
        .extracting(Fused::item)
        .containsExactly("a", "b");
    assertThat(ReciprocalRankFusion.fuse(List.<List<String>>of(List.of(), List.of()), 60, 5)).isEmpty();
  }

  @Test
  void refusesANonPositiveConstant() {
    assertThatThrownBy(() -> ReciprocalRankFusion.fuse(List.of(List.of("a")), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
