package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.search.BooleanQuery;
import org.junit.jupiter.api.Test;

class KeywordQueryTest {

  private final StandardAnalyzer analyzer = new StandardAnalyzer();

  @Test
  void analysesTextIntoOptionalTermsWeightedByRepetition() {
    assertThat(KeywordQuery.of(analyzer, "text", "Kafka streams, KAFKA!"))
        .hasValueSatisfying(q -> assertThat(q.toString()).isEqualTo("(text:kafka)^2.0 text:streams"));
  }

  @Test
  void textWithoutTermsGivesNoQuery() {
    assertThat(KeywordQuery.of(analyzer, "text", null)).isEmpty();
    assertThat(KeywordQuery.of(analyzer, "text", " \t")).isEmpty();
    assertThat(KeywordQuery.of(analyzer, "text", "*:* && || ()")).isEmpty();
  }

  @Test
  void capsTheNumberOfTerms() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append("w").append(i).append(' ');
    }

    assertThat(KeywordQuery.of(analyzer, "text", text.toString()))
        .hasValueSatisfying(q -> assertThat(((BooleanQuery) q).clauses()).hasSize(KeywordQuery.MAX_TERMS));
  }
}
