package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class KeywordAnalysisTest {

  private final Analyzer analyzer = KeywordAnalysis.perField();

  @Test
  void termFieldsAreStemmedWithoutPossessivesOrStopWords() {
    assertThat(terms(PointFields.CHUNK_TEXT, "The Kafka's streams were connecting"))
        .containsExactly("kafka", "stream", "were", "connect");
    assertThat(terms(PointFields.TITLE_TERMS, "Connected streams")).containsExactly("connect", "stream");
  }

  @Test
  void inflectionsOfOneWordShareATerm() {
    assertThat(terms(PointFields.CHUNK_TEXT, "protein proteins"))
        .containsExactly("protein", "protein");
    assertThat(terms(PointFields.TITLE_TERMS, "connect connected connecting connection")).containsOnly("connect");
  }

  @Test
  void theLegacyFieldKeepsTheAnalysisOfIndexesWrittenBefore() {
    assertThat(terms(PointFields.TEXT, "The Kafka's streams were connecting"))
        .containsExactly("kafka's", "streams", "were", "connecting");
  }

  private List<String> terms(String field, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream tokens = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        terms.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return terms;
  }
}
