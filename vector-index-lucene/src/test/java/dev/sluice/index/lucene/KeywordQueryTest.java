package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
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

  @Test
  void pointQueriesSearchTheStemmedTextTheWeightedTitleAndTheLegacyText() {
    Analyzer perField = KeywordAnalysis.perField();

    assertThat(KeywordQuery.forPoints(perField, "Kafka streams, KAFKA!"))
        .hasValueSatisfying(q -> assertThat(q.toString()).isEqualTo(
            "((chunkText:kafka)^2.0 chunkText:stream) ((titleTerms:kafka)^2.0 titleTerms:stream)^0.3"
                + " ((text:kafka)^2.0 text:streams)"));
    assertThat(KeywordQuery.forPoints(perField, "the of, to!")).isEmpty();
    assertThat(KeywordQuery.forPoints(perField, null)).isEmpty();
  }

  @Test
  void theLongestPointQueryStaysWithinTheClauseLimit() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append("w").append(i).append(' ');
    }
    Analyzer perField = KeywordAnalysis.perField();
    try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(perField))) {
        Document doc = new Document();
        doc.add(new TextField(PointFields.CHUNK_TEXT, "w1 w2", Store.NO));
        writer.addDocument(doc);
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);

        assertThat(searcher.search(KeywordQuery.forPoints(perField, text.toString()).orElseThrow(), 10).scoreDocs).hasSize(1);
      }
    }
  }
}
