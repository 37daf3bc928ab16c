package dev.sluice.index.qdrant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.StringHelper;

/**
 * Sparse keyword vectors for BM25 in Qdrant, computed in Sluice. A term's dimension is a 31-bit
 * murmur3 hash of its text (no vocabulary to share or grow; collisions in 2^31 dimensions are
 * negligible at chunk vocabularies). A document's value per term is BM25's saturated term frequency
 * {@code tf·(k1+1) / (tf + k1·(1−b+b·len/avgLen))}; a query's is its term count. Qdrant multiplies
 * by the term's inverse document frequency (the collection's {@code Idf} modifier), so the dot
 * product of the two is the BM25 score. Terms are lowercased Unicode words without English stop
 * words and without stemming, the analysis of the evaluation's BM25 baseline. Thread-safe.
 */
final class KeywordVectors {

  /** BM25 parameters, Lucene's and Qdrant's defaults. */
  static final double K1 = 1.2;
  static final double B = 0.75;

  /**
   * The average chunk length in terms that length normalisation assumes: a fixed estimate, since
   * the true average is not known when a point is written (chunks are at most 256 model tokens,
   * about 190 words, of which stop words are a third).
   */
  static final double AVG_LENGTH = 120;

  /** A sparse vector: ascending dimensions and their values. */
  record Sparse(List<Integer> indices, List<Float> values) {
    boolean isEmpty() {
      return indices.isEmpty();
    }
  }

  private final Analyzer analyzer = new StandardAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

  Sparse document(String text) {
    Map<Integer, Integer> counts = counts(text);
    int length = counts.values().stream().mapToInt(Integer::intValue).sum();
    double norm = K1 * (1 - B + B * length / AVG_LENGTH);
    List<Integer> indices = new ArrayList<>(counts.size());
    List<Float> values = new ArrayList<>(counts.size());
    counts.forEach((dimension, tf) -> {
      indices.add(dimension);
      values.add((float) (tf * (K1 + 1) / (tf + norm)));
    });
    return new Sparse(List.copyOf(indices), List.copyOf(values));
  }

  Sparse query(String text) {
    Map<Integer, Integer> counts = counts(text == null ? "" : text);
    return new Sparse(List.copyOf(counts.keySet()), counts.values().stream().map(Integer::floatValue).toList());
  }

  /** The dimension of one (already analysed) term. */
  static int dimension(String term) {
    byte[] bytes = term.getBytes(StandardCharsets.UTF_8);
    return StringHelper.murmurhash3_x86_32(bytes, 0, bytes.length, 0) & 0x7fffffff;
  }

  private Map<Integer, Integer> counts(String text) {
    Map<Integer, Integer> counts = new TreeMap<>();
    try (TokenStream tokens = analyzer.tokenStream("text", text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        counts.merge(dimension(term.toString()), 1, Integer::sum);
      }
      tokens.end();
    } catch (IOException e) {
      // Analysing an in-memory string does no I/O.
      throw new UncheckedIOException("cannot analyse text", e);
    }
    return counts;
  }
}
