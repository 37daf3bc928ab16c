package dev.sluice.index.qdrant;

import dev.sluice.index.PointPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.StringHelper;

/**
 * Sparse keyword vectors for BM25 in Qdrant, computed in Sluice, scoring as the Lucene adapter's
 * keyword query does: the chunk text, plus the document title at {@link #TITLE_BOOST}, both under
 * Lucene's {@link EnglishAnalyzer} (possessives removed, lowercased, English stop words dropped,
 * Porter stemming).
 *
 * <p>A term's dimension is a 31-bit murmur3 hash of its field and text (no vocabulary to share or
 * grow; collisions in 2^31 dimensions are negligible at chunk vocabularies). Text terms and title
 * terms hash apart, so each is a field of its own: Qdrant's {@code Idf} modifier counts document
 * frequency per dimension, hence per field, as Lucene does. A document's value per term is BM25's
 * saturated term frequency {@code tf·(k1+1) / (tf + k1·(1−b+b·len/avgLen))} within its field; a
 * query's is its term count, times {@link #TITLE_BOOST} on title dimensions. Qdrant multiplies by
 * the term's inverse document frequency, so the dot product is the BM25 score of the text plus the
 * weighted BM25 score of the title.
 *
 * <p>Points written before stemming hold {@linkplain #legacyDimension legacy dimensions}: the
 * unprefixed hash of lowercased unstemmed words. Queries carry those too, so such points are still
 * found (scored by their own analysis); a point never holds both kinds, so none is counted twice.
 * Thread-safe.
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

  /** The average title length in terms, likewise fixed (about 10 in SciFact, 8 in Cranfield). */
  static final double AVG_TITLE_LENGTH = 10;

  /** The weight of title terms in a query, the Lucene adapter's {@code KeywordQuery.TITLE_BOOST}. */
  static final float TITLE_BOOST = 0.3f;

  private static final String TEXT_FIELD = "text";
  private static final String TITLE_FIELD = "title";

  /** A sparse vector: ascending dimensions and their values. */
  record Sparse(List<Integer> indices, List<Float> values) {
    boolean isEmpty() {
      return indices.isEmpty();
    }
  }

  private final Analyzer english = new EnglishAnalyzer();
  private final Analyzer legacy = new StandardAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);

  /** The vector a point stores: its chunk text and its document's title. */
  Sparse document(PointPayload payload) {
    return document(payload.text(), payload.title());
  }

  Sparse document(String text, Optional<String> title) {
    Map<Integer, Float> values = new TreeMap<>();
    addSaturated(values, TEXT_FIELD, counts(english, text), AVG_LENGTH);
    title.ifPresent(t -> addSaturated(values, TITLE_FIELD, counts(english, t), AVG_TITLE_LENGTH));
    return sparse(values);
  }

  Sparse query(String text) {
    String query = text == null ? "" : text;
    Map<Integer, Float> values = new TreeMap<>();
    counts(english, query).forEach((term, count) -> {
      values.merge(dimension(TEXT_FIELD, term), count.floatValue(), Float::sum);
      values.merge(dimension(TITLE_FIELD, term), count * TITLE_BOOST, Float::sum);
    });
    counts(legacy, query).forEach((term, count) -> values.merge(legacyDimension(term), count.floatValue(), Float::sum));
    return sparse(values);
  }

  /** The dimension of one (already analysed) term of {@code field}. */
  static int dimension(String field, String term) {
    return hash(field + '\u001f' + term);
  }

  /** The dimension of a term in vectors written before stemming: its text alone. */
  static int legacyDimension(String term) {
    return hash(term);
  }

  private static int hash(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return StringHelper.murmurhash3_x86_32(bytes, 0, bytes.length, 0) & 0x7fffffff;
  }

  private static void addSaturated(Map<Integer, Float> values, String field, Map<String, Integer> counts, double avgLength) {
    int length = counts.values().stream().mapToInt(Integer::intValue).sum();
    double norm = K1 * (1 - B + B * length / avgLength);
    counts.forEach((term, tf) -> values.merge(dimension(field, term), (float) (tf * (K1 + 1) / (tf + norm)), Float::sum));
  }

  private static Sparse sparse(Map<Integer, Float> values) {
    return new Sparse(List.copyOf(values.keySet()), List.copyOf(values.values()));
  }

  private static Map<String, Integer> counts(Analyzer analyzer, String text) {
    Map<String, Integer> counts = new TreeMap<>();
    try (TokenStream tokens = analyzer.tokenStream(TEXT_FIELD, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      tokens.end();
    } catch (IOException e) {
      // Analysing an in-memory string does no I/O.
      throw new UncheckedIOException("cannot analyse text", e);
    }
    return counts;
  }
}
