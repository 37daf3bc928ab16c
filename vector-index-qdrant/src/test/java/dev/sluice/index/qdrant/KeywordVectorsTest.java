package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeywordVectorsTest {

  private final KeywordVectors keywords = new KeywordVectors();

  @Test
  void aTermHasTheSameDimensionInDocumentsAndQueries() {
    KeywordVectors.Sparse document = keywords.document("Kafka streams rebalance");
    KeywordVectors.Sparse query = keywords.query("KAFKA");

    assertThat(query.indices()).singleElement().isIn(document.indices());
    assertThat(KeywordVectors.dimension("kafka")).isEqualTo(query.indices().getFirst()).isNotNegative();
  }

  @Test
  void stopWordsAndPunctuationAreNotTerms() {
    assertThat(keywords.document("the and of, to!").isEmpty()).isTrue();
    assertThat(keywords.query(null).isEmpty()).isTrue();
  }

  @Test
  void documentWeightsSaturateWithTermFrequencyAndShrinkWithLength() {
    float once = single(keywords.document("zebra"));
    float twice = single(keywords.document("zebra zebra"));

    assertThat(twice).isGreaterThan(once).isLessThan(2 * once);
    KeywordVectors.Sparse longer = keywords.document("zebra " + "giraffe ".repeat(200));
    float inLongText = longer.values().get(longer.indices().indexOf(KeywordVectors.dimension("zebra")));
    assertThat(inLongText).isLessThan(once);
  }

  @Test
  void queryWeightsCountRepeatedTermsAndDimensionsAscend() {
    KeywordVectors.Sparse query = keywords.query("kafka kafka streams");

    assertThat(query.values()).containsExactlyInAnyOrder(2f, 1f);
    assertThat(query.indices()).isSorted().doesNotHaveDuplicates();
  }

  private static float single(KeywordVectors.Sparse sparse) {
    assertThat(sparse.values()).hasSize(1);
    return sparse.values().getFirst();
  }
}
