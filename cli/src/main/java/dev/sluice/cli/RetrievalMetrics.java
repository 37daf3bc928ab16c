package dev.sluice.cli;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standard ranked-retrieval measures, as trec_eval and BEIR compute them: linear gains for nDCG
 * (the grade itself), relevant = grade above 0, log2 rank discount. Pure functions over a ranking of
 * document ids (best first, no duplicates) and a query's judgments.
 */
final class RetrievalMetrics {
  private RetrievalMetrics() {}

  /** Normalised discounted cumulative gain of the first {@code k} documents; 0 with no relevant document. */
  static double ndcg(List<String> ranked, Map<String, Integer> grades, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      dcg += gain(grades.get(ranked.get(i))) / log2(i + 2);
    }
    List<Integer> ideal = grades.values().stream().filter(g -> g > 0).sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  /** Share of the relevant documents found in the first {@code k}; 0 with no relevant document. */
  static double recall(List<String> ranked, Map<String, Integer> grades, int k) {
    Set<String> relevant = relevant(grades);
    if (relevant.isEmpty()) {
      return 0;
    }
    long found = ranked.stream().limit(k).filter(relevant::contains).count();
    return (double) found / relevant.size();
  }

  /** 1 / rank of the first relevant document within the first {@code k}, else 0. */
  static double reciprocalRank(List<String> ranked, Map<String, Integer> grades, int k) {
    Set<String> relevant = relevant(grades);
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      if (relevant.contains(ranked.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** The nearest-rank percentile ({@code p} in 0..100) of {@code values}; 0 when there are none. */
  static double percentile(Collection<Double> values, double p) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
  }

  static double mean(Collection<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static double gain(Integer grade) {
    return grade == null || grade <= 0 ? 0 : grade;
  }

  private static Set<String> relevant(Map<String, Integer> grades) {
    Set<String> relevant = new HashSet<>();
    grades.forEach((doc, grade) -> {
      if (grade > 0) {
        relevant.add(doc);
      }
    });
    return relevant;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
