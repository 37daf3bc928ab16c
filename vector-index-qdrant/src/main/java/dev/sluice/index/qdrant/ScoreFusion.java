package dev.sluice.index.qdrant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted distribution-based score fusion (DBSF, after Qdrant's): each ranking's scores are mapped
 * linearly so that its mean − 3σ becomes 0 and its mean + 3σ becomes 1 (σ the sample standard
 * deviation; a ranking of one score, or of equal scores, maps to 0.5), floored at 0, multiplied by
 * the ranking's weight and summed per item. Scores on unrelated scales (cosine, BM25) thus fuse,
 * and unlike reciprocal rank fusion the margins survive: a ranking whose top hit stands far above
 * the rest outweighs one whose scores are flat, query by query.
 *
 * <p>Two departures from Qdrant's DBSF keep degenerate rankings sensible. A ranking may stand for
 * more items than it holds ({@link Ranking#depth}): a keyword ranking shorter than the candidate
 * set is normalised as if the rest scored 0, which BM25 gives a point without a query term, so the
 * only match of a rare term stands out rather than sitting at the neutral 0.5. And the floor at 0
 * means a point a ranking found never counts less than one it did not find.
 *
 * <p>The Lucene adapter's fusion, copied (the adapters share nothing but the contract), so that
 * both backends rank a hybrid search alike; its class comment says why this fusion and these
 * weights. Qdrant's server-side fusions are not it: RRF ranks alone, and its DBSF has no weights,
 * no depth and no floor, so a lone rare-term match would sink below far weaker dense hits.
 */
final class ScoreFusion {

  /** The weight of the dense ranking: above the keyword one's, so weak keyword matches cannot outvote it. */
  static final double DENSE_WEIGHT = 0.6;

  /** The weight of the keyword ranking. */
  static final double KEYWORD_WEIGHT = 0.4;

  /** One ranked item and its score in its own ranking. */
  record Scored<T>(T item, double score) {}

  /**
   * One ranking to fuse.
   *
   * @param hits best first, without duplicate items
   * @param weight what its normalised scores are multiplied by
   * @param depth how many items the ranking stands for, at least {@code hits.size()}; those it does
   *     not hold score 0 in its normalisation
   */
  record Ranking<T>(List<Scored<T>> hits, double weight, int depth) {
    Ranking {
      hits = List.copyOf(hits);
      if (depth < hits.size()) {
        throw new IllegalArgumentException("a ranking of " + hits.size() + " hits cannot stand for " + depth);
      }
    }

    /** A ranking that stands for its hits alone. */
    static <T> Ranking<T> of(List<Scored<T>> hits, double weight) {
      return new Ranking<>(hits, weight, hits.size());
    }
  }

  /** One fused item and its fused score. */
  record Fused<T>(T item, double score) {}

  private ScoreFusion() {}

  /**
   * Fuses {@code rankings} and returns the best {@code limit} items, best first. Ties go to the item
   * with the better single best rank, then to the one seen first (earlier ranking, better rank), so
   * the order is deterministic.
   */
  static <T> List<Fused<T>> fuse(List<Ranking<T>> rankings, int limit) {
    Map<T, Double> scores = new LinkedHashMap<>();
    Map<T, Integer> bestRank = new HashMap<>();
    for (Ranking<T> ranking : rankings) {
      double[] normalised = normalised(ranking);
      for (int i = 0; i < normalised.length; i++) {
        T item = ranking.hits().get(i).item();
        scores.merge(item, ranking.weight() * normalised[i], Double::sum);
        bestRank.merge(item, i, Math::min);
      }
    }
    List<Fused<T>> fused = new ArrayList<>(scores.size());
    scores.forEach((item, score) -> fused.add(new Fused<>(item, score)));
    // A stable sort keeps first-seen order for complete ties.
    fused.sort(Comparator.<Fused<T>>comparingDouble(Fused::score).reversed().thenComparing(f -> bestRank.get(f.item())));
    return List.copyOf(fused.subList(0, Math.min(limit, fused.size())));
  }

  /** The hits' scores, mapped from [mean − 3σ, mean + 3σ] of the ranking's depth to [0, 1], floored at 0. */
  static <T> double[] normalised(Ranking<T> ranking) {
    List<Scored<T>> hits = ranking.hits();
    int depth = ranking.depth();
    double[] out = new double[hits.size()];
    if (hits.isEmpty()) {
      return out;
    }
    double sum = 0;
    for (Scored<T> hit : hits) {
      sum += hit.score();
    }
    double mean = sum / depth;
    // The items a ranking stands for but does not hold score 0: each adds mean² to the squares.
    double squares = (depth - hits.size()) * mean * mean;
    for (Scored<T> hit : hits) {
      squares += (hit.score() - mean) * (hit.score() - mean);
    }
    double sigma = depth < 2 ? 0 : Math.sqrt(squares / (depth - 1));
    for (int i = 0; i < out.length; i++) {
      out[i] = sigma == 0 ? 0.5 : Math.max(0, (hits.get(i).score() - (mean - 3 * sigma)) / (6 * sigma));
    }
    return out;
  }
}
