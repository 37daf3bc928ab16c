package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The figures of one evaluation run: mean nDCG@10, Recall@10, Recall@100 and MRR@10 over the judged
 * queries, and latency percentiles (client round trip, and the server's own embed and search times).
 */
record EvalReport(String dataset, String tenant, String mode, int topK, int queries, String modelId, double ndcg10,
    double recall10, double recall100, double mrr10, Percentiles latency, Percentiles serverEmbed, Percentiles serverSearch) {

  /** p50 and p99 in milliseconds. */
  record Percentiles(double p50, double p99) {
    static Percentiles of(List<Double> millis) {
      return new Percentiles(RetrievalMetrics.percentile(millis, 50), RetrievalMetrics.percentile(millis, 99));
    }
  }

  ObjectNode toJson(ObjectNode out) {
    out.put("dataset", dataset).put("tenant", tenant).put("mode", mode).put("topK", topK).put("queries", queries)
        .put("modelId", modelId).put("ndcg@10", round(ndcg10)).put("recall@10", round(recall10))
        .put("recall@100", round(recall100)).put("mrr@10", round(mrr10));
    out.putObject("latencyMs").put("p50", round(latency.p50())).put("p99", round(latency.p99()));
    out.putObject("serverEmbedMs").put("p50", round(serverEmbed.p50())).put("p99", round(serverEmbed.p99()));
    out.putObject("serverSearchMs").put("p50", round(serverSearch.p50())).put("p99", round(serverSearch.p99()));
    return out;
  }

  String toText() {
    return String.format(Locale.ROOT, """
        %s: %d judged queries, mode %s, top %d chunks per query, tenant %s, model %s
          nDCG@10     %.4f
          Recall@10   %.4f
          Recall@100  %.4f
          MRR@10      %.4f
          latency     p50 %.1f ms, p99 %.1f ms (client round trip)
          server      embed p50 %.1f ms, p99 %.1f ms; search p50 %.1f ms, p99 %.1f ms
        """, dataset, queries, mode, topK, tenant, modelId, ndcg10, recall10, recall100, mrr10, latency.p50(), latency.p99(),
        serverEmbed.p50(), serverEmbed.p99(), serverSearch.p50(), serverSearch.p99());
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  /** Collects per-query figures. Not thread-safe. */
  static final class Builder {
    private final List<Double> ndcg = new ArrayList<>();
    private final List<Double> recall10 = new ArrayList<>();
    private final List<Double> recall100 = new ArrayList<>();
    private final List<Double> mrr = new ArrayList<>();
    private final List<Double> latency = new ArrayList<>();
    private final List<Double> embed = new ArrayList<>();
    private final List<Double> search = new ArrayList<>();
    private String modelId = "";

    void add(BeirDataset.JudgedQuery query, EvalSearch.Answer answer) {
      ndcg.add(RetrievalMetrics.ndcg(answer.documents(), query.grades(), 10));
      recall10.add(RetrievalMetrics.recall(answer.documents(), query.grades(), 10));
      recall100.add(RetrievalMetrics.recall(answer.documents(), query.grades(), 100));
      mrr.add(RetrievalMetrics.reciprocalRank(answer.documents(), query.grades(), 10));
      latency.add(answer.latencyMillis());
      add(embed, answer.embedMillis());
      add(search, answer.searchMillis());
      modelId = answer.modelId();
    }

    int count() {
      return ndcg.size();
    }

    EvalReport build(String dataset, String tenant, String mode, int topK) {
      return new EvalReport(dataset, tenant, mode, topK, count(), modelId, RetrievalMetrics.mean(ndcg),
          RetrievalMetrics.mean(recall10), RetrievalMetrics.mean(recall100), RetrievalMetrics.mean(mrr),
          Percentiles.of(latency), Percentiles.of(embed), Percentiles.of(search));
    }

    private static void add(List<Double> into, OptionalDouble value) {
      value.ifPresent(into::add);
    }
  }
}
