package dev.sluice.index;

/**
 * A search within one scope.
 *
 * @param scope tenant and caller groups; mandatory
 * @param vector query embedding (same model as the index)
 * @param text query text, for keyword scoring
 * @param topK 1..50
 * @param mode dense, keyword or hybrid
 */
public record SearchRequest(SearchScope scope, float[] vector, String text, int topK, SearchMode mode) {
  public SearchRequest {
    if (scope == null) {
      throw new IllegalArgumentException("a search needs a scope (tenant and groups)");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1");
    }
  }
}
