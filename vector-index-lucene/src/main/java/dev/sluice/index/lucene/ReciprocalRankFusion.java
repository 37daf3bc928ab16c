package dev.sluice.index.lucene;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): an item scores the sum over rankings of {@code
 * 1 / (k + rank)}, rank starting at 1. It needs only ranks, so dense cosine scores and BM25 scores,
 * which live on unrelated scales, fuse without normalisation.
 */
final class ReciprocalRankFusion {

  /** The constant of the original paper, also Qdrant's and Elasticsearch's default. */
  static final int DEFAULT_K = 60;

  /** One fused item and its score. */
  record Fused<T>(T item, double score) {}

  private ReciprocalRankFusion() {}

  /**
   * Fuses {@code rankings} (each best first, without duplicates) and returns the best {@code limit}
   * items, best first. Ties go to the item with the better single best rank, then to the earlier
   * ranking, so the order is deterministic.
   */
  static <T> List<Fused<T>> fuse(List<List<T>> rankings, int k, int limit) {
    if (k < 1) {
      throw new IllegalArgumentException("the RRF constant k must be positive, was " + k);
    }
    Map<T, Double> scores = new LinkedHashMap<>();
    Map<T, Integer> bestRank = new HashMap<>();
    for (List<T> ranking : rankings) {
      for (int i = 0; i < ranking.size(); i++) {
        int rank = i + 1;
        T item = ranking.get(i);
        scores.merge(item, 1.0 / (k + rank), Double::sum);
        bestRank.merge(item, rank, Math::min);
      }
    }
    List<Fused<T>> fused = new ArrayList<>(scores.size());
    scores.forEach((item, score) -> fused.add(new Fused<>(item, score)));
    // A stable sort keeps first-seen order for complete ties.
    fused.sort(
        Comparator.<Fused<T>>comparingDouble(Fused::score)
            .reversed()
            .thenComparing(f -> bestRank.get(f.item())));
    return List.copyOf(fused.subList(0, Math.min(limit, fused.size())));
  }
}
