package dev.sluice.index.lucene;

import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * How keyword search analyses text: Lucene's {@link EnglishAnalyzer} (Unicode words, English
 * possessives removed, lowercased, English stop words dropped, Porter stemming) for the chunk text
 * and the title. Measured with {@code sluice bench retrieval} on SciFact and Cranfield, stemming and
 * the title as its own field each raise keyword nDCG@10 on both, and together lift it above the
 * plain (unstemmed) BM25 baseline on the same documents.
 *
 * <p>Indexes written before hold the chunk text under the legacy analysis (lowercased words
 * without stop words, no stemming) in {@link PointFields#TEXT}; queries still search that field
 * with that analysis, so those points stay findable until they are rewritten.
 */
final class KeywordAnalysis {

  private KeywordAnalysis() {}

  /** The analysis of {@link PointFields#CHUNK_TEXT} and {@link PointFields#TITLE_TERMS}. */
  static Analyzer english() {
    return new EnglishAnalyzer();
  }

  /** The analysis of {@link PointFields#TEXT} in indexes written before stemming. */
  static Analyzer legacy() {
    return new StandardAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
  }

  /** One analyzer for index and queries: {@link #legacy()} for {@link PointFields#TEXT}, else {@link #english()}. */
  static Analyzer perField() {
    return new PerFieldAnalyzerWrapper(english(), Map.of(PointFields.TEXT, legacy()));
  }
}
