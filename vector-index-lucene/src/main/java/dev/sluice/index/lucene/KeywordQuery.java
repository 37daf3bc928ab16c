package dev.sluice.index.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * A BM25 query from free user text. The text is run through the index analyzer and each distinct
 * term becomes an optional clause; there is no query syntax, so no input can fail to parse or
 * widen the search.
 *
 * <p>Written out rather than taken from Lucene's {@code QueryBuilder}, which builds the same
 * optional term clauses but has no cap on their number: a long query text would exceed
 * BooleanQuery's clause limit and fail instead of searching.
 */
final class KeywordQuery {

  // Three fields of at most this many terms stay under BooleanQuery's 1024-clause limit; a longer
  // query adds no useful signal.
  static final int MAX_TERMS = 256;

  /**
   * The weight of a title match relative to a chunk text match, one value for SciFact and Cranfield:
   * measured as {@code sluice bench retrieval} measures, keyword nDCG@10 stays within 0.004 of its
   * best on both from 0.25 to 0.35 and falls off above (at 1.0, below the text alone on SciFact).
   * The title repeats in the first chunk's text, so a small weight carries it to the document's
   * other chunks without letting a title word outweigh the passage.
   */
  static final float TITLE_BOOST = 0.3f;

  private KeywordQuery() {}

  /**
   * The keyword query over a point index: the chunk text and, with {@link #TITLE_BOOST}, the
   * document title, both under {@link KeywordAnalysis#english()}; plus the chunk text under the
   * legacy analysis, which only points written before stemming still hold, so each point is scored
   * by one analysis. Empty when the text holds no searchable term.
   */
  static Optional<Query> forPoints(Analyzer analyzer, String text) {
    Optional<Query> body = of(analyzer, PointFields.CHUNK_TEXT, text);
    if (body.isEmpty()) {
      // Every term the legacy analysis keeps survives the English one too (it only stems).
      return Optional.empty();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder().add(body.get(), Occur.SHOULD);
    of(analyzer, PointFields.TITLE_TERMS, text).ifPresent(title -> query.add(new BoostQuery(title, TITLE_BOOST), Occur.SHOULD));
    of(analyzer, PointFields.TEXT, text).ifPresent(legacy -> query.add(legacy, Occur.SHOULD));
    return Optional.of(query.build());
  }

  /** The query for {@code text}, or empty when it holds no searchable term. */
  static Optional<Query> of(Analyzer analyzer, String field, String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    Map<String, Integer> counts = terms(analyzer, field, text);
    if (counts.isEmpty()) {
      return Optional.empty();
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    counts.forEach(
        (term, count) -> {
          Query clause = new TermQuery(new Term(field, term));
          // A term repeated in the query weighs more, as it would in one BM25 query vector.
          query.add(count == 1 ? clause : new BoostQuery(clause, count), Occur.SHOULD);
        });
    return Optional.of(query.build());
  }

  private static Map<String, Integer> terms(Analyzer analyzer, String field, String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream tokens = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken()) {
        String value = term.toString();
        if (counts.containsKey(value) || counts.size() < MAX_TERMS) {
          counts.merge(value, 1, Integer::sum);
        }
      }
      tokens.end();
    } catch (IOException e) {
      // Analysing an in-memory string does no I/O.
      throw new UncheckedIOException("cannot analyse query text", e);
    }
    return counts;
  }
}
