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
 */
final class KeywordQuery {

  // Well under BooleanQuery's 1024-clause limit; a longer query adds no useful signal.
  static final int MAX_TERMS = 256;

  private KeywordQuery() {}

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
