package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeywordVectorsTest {

  private final KeywordVectors keywords = new KeywordVectors();

  @Test
  void aTermHasTheSameDimensionInDocumentsAndQueries() {
    KeywordVectors.Sparse document = keywords.document("Kafka streams rebalance", Optional.empty());
    KeywordVectors.Sparse query = keywords.query("KAFKA");

    assertThat(query.indices()).containsExactlyInAnyOrder(KeywordVectors.dimension("text", "kafka"),
        KeywordVectors.dimension("title", "kafka"), KeywordVectors.legacyDimension("kafka"));
    assertThat(document.indices()).contains(KeywordVectors.dimension("text", "kafka"));
    assertThat(KeywordVectors.dimension("text", "kafka")).isNotNegative();
  }

  @Test
  void textTitleAndLegacyTermsAreDimensionsApart() {
    assertThat(List.of(KeywordVectors.dimension("text", "kafka"), KeywordVectors.dimension("title", "kafka"),
        KeywordVectors.legacyDimension("kafka"))).doesNotHaveDuplicates();
  }

  @Test
  void termsAreStemmedWithoutPossessives() {
    KeywordVectors.Sparse document = keywords.document("Kafka's connections", Optional.empty());

    assertThat(document.indices()).containsExactlyInAnyOrder(KeywordVectors.dimension("text", "kafka"),
        KeywordVectors.dimension("text", "connect"));
    assertThat(keywords.query("connected").indices()).contains(KeywordVectors.dimension("text", "connect"));
  }

  @Test
  void stopWordsAndPunctuationAreNotTerms() {
    assertThat(keywords.document("the and of, to!", Optional.of("The")).isEmpty()).isTrue();
    assertThat(keywords.query(null).isEmpty()).isTrue();
    assertThat(keywords.query("the of ?!").isEmpty()).isTrue();
  }

  @Test
  void documentWeightsSaturateWithTermFrequencyAndShrinkWithLength() {
    float once = single(keywords.document("zebra", Optional.empty()));
    float twice = single(keywords.document("zebra zebra", Optional.empty()));

    assertThat(twice).isGreaterThan(once).isLessThan(2 * once);
    KeywordVectors.Sparse longer = keywords.document("zebra " + "giraffe ".repeat(200), Optional.empty());
    float inLongText = longer.values().get(longer.indices().indexOf(KeywordVectors.dimension("text", "zebra")));
    assertThat(inLongText).isLessThan(once);
  }

  /** The title is a field of its own: its terms saturate against a title's length, and queries weigh them by the boost. */
  @Test
  void theTitleIsAFieldOfItsOwnWeightedByTheBoost() {
    KeywordVectors.Sparse titled = keywords.document("striped animals", Optional.of("Zebra"));
    KeywordVectors.Sparse query = keywords.query("zebra");

    int title = KeywordVectors.dimension("title", "zebra");
    assertThat(titled.indices()).contains(title).doesNotContain(KeywordVectors.dimension("text", "zebra"));
    double norm = KeywordVectors.K1 * (1 - KeywordVectors.B + KeywordVectors.B / KeywordVectors.AVG_TITLE_LENGTH);
    assertThat(titled.values().get(titled.indices().indexOf(title))).isEqualTo((float) ((KeywordVectors.K1 + 1) / (1 + norm)));
    assertThat(query.values().get(query.indices().indexOf(title))).isEqualTo(KeywordVectors.TITLE_BOOST);
  }

  @Test
  void queryWeightsCountRepeatedTermsPerFieldAndDimensionsAscend() {
    KeywordVectors.Sparse query = keywords.query("kafka kafka streams");

    assertThat(query.values()).containsExactlyInAnyOrder(2f, 1f, 2 * KeywordVectors.TITLE_BOOST, KeywordVectors.TITLE_BOOST, 2f, 1f);
    assertThat(query.values().get(query.indices().indexOf(KeywordVectors.legacyDimension("streams")))).isEqualTo(1f);
    assertThat(query.indices()).isSorted().doesNotHaveDuplicates();
  }

  private static float single(KeywordVectors.Sparse sparse) {
    assertThat(sparse.values()).hasSize(1);
    return sparse.values().getFirst();
  }
}
