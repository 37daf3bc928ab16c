package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.lucene.LuceneVectorIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice bench retrieval --dataset DIR}: retrieval quality of the Lucene adapter on a BEIR
 * collection without Kafka or HTTP, in seconds once the collection is embedded. The corpus is
 * chunked by the ingest stage's own document path and embedded with the pipeline's model ({@link
 * RetrievalWorkload}, cached on disk); the chunks are written, with the payloads the index worker
 * writes (title included), into a fresh {@link LuceneVectorIndex}, which is then reopened read-only
 * as the query service opens it; every judged query runs through {@link LuceneVectorIndex#search}
 * in each mode, and a document ranks at its best chunk, as {@code sluice eval} ranks it. So the
 * figures are those {@code sluice eval} gets from the same corpus through the whole pipeline, less
 * only what Kafka and HTTP could change (nothing, when they work).
 *
 * <p>Two stress options weaken one side on purpose, to see whether hybrid stays above the better
 * of its parts on a collection where one is much weaker than the other: {@code
 * --thin-keyword-query} hands keyword scoring a thinned query, {@code --dense-noise} blurs the
 * query vector.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = {"Measure retrieval quality (nDCG@10, Recall@10/100, MRR@10) of the Lucene index on BEIR datasets, offline.",
        "Chunks and embeds each corpus once (minutes) and caches the vectors in the work dir; later runs take seconds."})
final class BenchRetrievalCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "bench";
  private static final int BATCH = 256;

  @Option(names = "--dataset", required = true, paramLabel = "DIR",
      description = "BEIR dataset directory (corpus.jsonl, queries.jsonl, qrels.tsv); repeat for several.")
  List<Path> datasets;

  @Option(names = "--model", defaultValue = ModelCatalogue.DEFAULT_MODEL, description = "Catalogue model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--mode", split = ",", defaultValue = "dense,keyword,hybrid",
      description = "Search modes to measure, comma-separated (default: ${DEFAULT-VALUE}).")
  List<EvalCommand.Mode> modes;

  @Option(names = "--top-k", defaultValue = "100",
      description = "Chunks asked per query, as sluice eval asks (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--work-dir", description = "Where the embedding cache and the temporary index go "
      + "(default: sluice-bench-retrieval in the temp dir, kept between runs).")
  Optional<Path> workDir = Optional.empty();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--thin-keyword-query", defaultValue = "1", paramLabel = "N",
      description = {"Stress test: keyword scoring sees only every N-th word of each query, while dense search embeds the whole",
          "query; a collection where keyword search is much weaker than dense (default: ${DEFAULT-VALUE}, off)."})
  int thinKeywordQuery;

  @Option(names = "--dense-noise", defaultValue = "0", paramLabel = "X",
      description = {"Stress test: add Gaussian noise of norm about X to each query vector (seeded by query id), a collection",
          "where dense search is much weaker than keyword (default: ${DEFAULT-VALUE}, off)."})
  double denseNoise;

  @Spec CommandSpec spec;

  /** One mode's figures on one dataset. */
  record Figures(String dataset, String mode, int queries, double ndcg10, double recall10, double recall100, double mrr10) {}

  @Override
  public Integer call() throws Exception {
    if (topK < 1 || thinKeywordQuery < 1 || denseNoise < 0) {
      throw new CliException("need --top-k >= 1, --thin-keyword-query >= 1 and --dense-noise >= 0");
    }
    Path work = workDir.orElse(Path.of(System.getProperty("java.io.tmpdir"), "sluice-bench-retrieval"));
    Files.createDirectories(work);
    List<Figures> figures = new ArrayList<>();
    for (Path dataset : datasets) {
      figures.addAll(measure(dataset, work));
    }
    report(figures);
    return 0;
  }

  private List<Figures> measure(Path dataset, Path work) throws IOException {
    BeirDataset data = BeirDataset.load(dataset);
    List<BeirDataset.JudgedQuery> queries = data.judgedQueries();
    if (queries.isEmpty()) {
      throw new CliException("no query of " + dataset + " has a relevant document in qrels.tsv");
    }
    RetrievalWorkload workload = RetrievalWorkload.load(dataset, data, model, work);
    if (workload.rejected() > 0) {
      System.err.printf("bench retrieval: %s: ingest refused %d documents; they cannot be found%n", dataset, workload.rejected());
    }
    String name = dataset.toAbsolutePath().normalize().getFileName().toString();
    Path dir = work.resolve("index-" + System.nanoTime());
    try {
      build(workload, dir);
      try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir)) {
        index.refresh();
        List<Figures> figures = new ArrayList<>();
        for (EvalCommand.Mode mode : modes) {
          figures.add(run(index, name, mode, queries, workload.queryVectors()));
        }
        return figures;
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Writes every chunk as a published point, as the index worker leaves it, and commits. */
  private static void build(RetrievalWorkload workload, Path dir) {
    Instant now = Instant.now();
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(dir)) {
      List<IndexPoint> batch = new ArrayList<>(BATCH);
      for (RetrievalWorkload.Chunk chunk : workload.chunks()) {
        String id = UUID.nameUUIDFromBytes((chunk.docId() + "\u0000" + chunk.ordinal()).getBytes(StandardCharsets.UTF_8)).toString();
        PointPayload payload = PointPayload.builder().tenant(TENANT).docId(chunk.docId()).chunkId(id).ordinal(chunk.ordinal())
            .text(chunk.text()).contentHash(id).docVersion(1).source("bench:" + chunk.docId()).title(chunk.title())
            .section(chunk.section()).contentType(Optional.of("text/plain")).modelId(workload.modelId())
            .eventTime(now).indexedAt(now).build();
        batch.add(new IndexPoint(id, chunk.vector(), payload));
        if (batch.size() == BATCH) {
          index.upsert(batch);
          batch.clear();
        }
      }
      index.upsert(batch);
      index.commit();
    }
  }

  private Figures run(LuceneVectorIndex index, String dataset, EvalCommand.Mode mode, List<BeirDataset.JudgedQuery> queries,
      List<float[]> vectors) {
    SearchMode searchMode = SearchMode.valueOf(mode.name().toUpperCase(Locale.ROOT));
    SearchScope scope = new SearchScope(TENANT, Set.of());
    List<Double> ndcg = new ArrayList<>();
    List<Double> recall10 = new ArrayList<>();
    List<Double> recall100 = new ArrayList<>();
    List<Double> mrr = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      BeirDataset.JudgedQuery query = queries.get(q);
      float[] vector = searchMode == SearchMode.KEYWORD ? null : noisy(vectors.get(q), query.id());
      List<String> ranked = documents(index.search(new SearchRequest(scope, vector, thinned(query.text()), topK, searchMode)));
      ndcg.add(RetrievalMetrics.ndcg(ranked, query.grades(), 10));
      recall10.add(RetrievalMetrics.recall(ranked, query.grades(), 10));
      recall100.add(RetrievalMetrics.recall(ranked, query.grades(), 100));
      mrr.add(RetrievalMetrics.reciprocalRank(ranked, query.grades(), 10));
    }
    return new Figures(dataset, mode.name(), queries.size(), RetrievalMetrics.mean(ndcg), RetrievalMetrics.mean(recall10),
        RetrievalMetrics.mean(recall100), RetrievalMetrics.mean(mrr));
  }

  private String thinned(String text) {
    if (thinKeywordQuery == 1) {
      return text;
    }
    String[] words = text.strip().split("\\s+");
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < words.length; i += thinKeywordQuery) {
      kept.append(words[i]).append(' ');
    }
    return kept.toString().strip();
  }

  private float[] noisy(float[] vector, String queryId) {
    if (denseNoise == 0) {
      return vector;
    }
    Random random = new Random(queryId.hashCode());
    float[] v = vector.clone();
    double norm = 0;
    for (int d = 0; d < v.length; d++) {
      v[d] += (float) (denseNoise * random.nextGaussian() / Math.sqrt(v.length));
      norm += v[d] * v[d];
    }
    for (int d = 0; d < v.length; d++) {
      v[d] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  // Hits come best first, so the first chunk of a document is its best: the document's rank.
  private static List<String> documents(List<SearchHit> hits) {
    Set<String> docs = new LinkedHashSet<>();
    hits.forEach(hit -> docs.add(hit.payload().docId()));
    return new ArrayList<>(docs);
  }

  private void report(List<Figures> figures) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode result = JSON.createObjectNode().put("model", model).put("topK", topK)
          .put("thinKeywordQuery", thinKeywordQuery).put("denseNoise", denseNoise);
      ArrayNode results = result.putArray("results");
      for (Figures f : figures) {
        results.addObject().put("dataset", f.dataset()).put("mode", f.mode()).put("queries", f.queries())
            .put("ndcg@10", round(f.ndcg10())).put("recall@10", round(f.recall10()))
            .put("recall@100", round(f.recall100())).put("mrr@10", round(f.mrr10()));
      }
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    } else {
      out.printf("model %s, top %d chunks per query, documents ranked by their best chunk%s%n", model, topK, stress());
      out.printf("%-12s %-8s %7s %8s %10s %11s %7s%n", "dataset", "mode", "queries", "nDCG@10", "Recall@10", "Recall@100", "MRR@10");
      for (Figures f : figures) {
        out.printf(Locale.ROOT, "%-12s %-8s %7d %8.4f %10.4f %11.4f %7.4f%n", f.dataset(), f.mode(), f.queries(), f.ndcg10(),
            f.recall10(), f.recall100(), f.mrr10());
      }
    }
    out.flush();
  }

  private String stress() {
    String keyword = thinKeywordQuery == 1 ? "" : "; STRESS: keyword sees every " + thinKeywordQuery + "th query word";
    String dense = denseNoise == 0 ? "" : "; STRESS: query vectors with noise " + denseNoise;
    return keyword + dense;
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary index is harmless.
    }
  }
}
