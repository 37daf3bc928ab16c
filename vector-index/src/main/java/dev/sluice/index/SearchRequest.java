package dev.sluice.index;

/**
 * A search within one scope.
 *
 * @param scope tenant and caller groups; mandatory
 * @param vector query embedding (same model as the index); required for dense and hybrid
 * @param text query text, for keyword scoring; a blank text matches nothing by keyword
 * @param topK 1..50
 * @param mode dense, keyword or hybrid
 * @param filters optional narrowing, {@link SearchFilters#NONE} when absent
 */
public record SearchRequest(
    SearchScope scope, float[] vector, String text, int topK, SearchMode mode, SearchFilters filters) {
  public SearchRequest {
    if (scope == null) {
      throw new IllegalArgumentException("a search needs a scope (tenant and groups)");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1");
    }
    if (mode == null) {
      throw new IllegalArgumentException("a search needs a mode (dense, keyword or hybrid)");
    }
    if (vector == null && mode != SearchMode.KEYWORD) {
      throw new IllegalArgumentException("a " + mode + " search needs a query vector");
    }
    filters = filters == null ? SearchFilters.NONE : filters;
  }

  /** A search without filters. */
  public SearchRequest(SearchScope scope, float[] vector, String text, int topK, SearchMode mode) {
    this(scope, vector, text, topK, mode, SearchFilters.NONE);
  }
}
