package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.query.QueryConfig;
import dev.sluice.query.QueryService;
import dev.sluice.runtime.Metrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice eval} end to end over the real HTTP API, on a tiny hand-made collection indexed with
 * real embeddings, in keyword mode so that every ranking, and so every figure, can be worked out by
 * hand:
 *
 * <pre>
 * d1 "apple orchard harvest"   d2 "banana plantation workers"   d3 "cherry blossom festival"
 * d4 "apple pie recipe with cherry filling and cinnamon sugar"
 * q1 "banana"  relevant d2, d3   ranking [d2]      nDCG 1/(1 + 1/log2 3) = 0.61315  R 1/2  RR 1
 * q2 "cherry"  relevant d4 (2)   ranking [d3, d4]  nDCG (2/log2 3)/2   = 0.63093  R 1    RR 1/2
 *              (BM25: same term frequency, the shorter d3 first)
 * q3 "durian"  relevant d1       ranking []        0                              R 0    RR 0
 * q4           no judgments: not evaluated
 * </pre>
 */
class EvalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @TempDir static Path temp;
  private static Path dataset;
  private static EmbeddingModel model;
  private static LuceneVectorIndex index;
  private static LuceneDocumentRegistry registry;
  private static QueryService deep;
  private static QueryService standard;

  @BeforeAll
  static void start() throws Exception {
    dataset = Files.createDirectories(temp.resolve("tiny"));
    Map<String, String> corpus = new LinkedHashMap<>();
    corpus.put("d1", "apple orchard harvest");
    corpus.put("d2", "banana plantation workers");
    corpus.put("d3", "cherry blossom festival");
    corpus.put("d4", "apple pie recipe with cherry filling and cinnamon sugar");
    StringBuilder lines = new StringBuilder();
    corpus.forEach((id, text) -> lines.append("{\"_id\": \"").append(id).append("\", \"title\": \"\", \"text\": \"").append(text).append("\"}\n"));
    Files.writeString(dataset.resolve("corpus.jsonl"), lines);
    Files.writeString(dataset.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "banana"}
        {"_id": "q2", "text": "cherry"}
        {"_id": "q3", "text": "durian"}
        {"_id": "q4", "text": "apple"}
        """);
    Files.writeString(dataset.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td2\t1\nq1\td3\t1\nq2\td4\t2\nq2\td1\t0\nq3\td1\t1\n");

    model = ModelCatalogue.loadDefault();
    index = LuceneVectorIndex.openWritable(IndexLayout.points(temp.resolve("index")));
    registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(temp.resolve("index")));
    List<IndexPoint> points = new ArrayList<>();
    try (Embedder embedder = model.newEmbedder()) {
      List<float[]> vectors = embedder.embedPassages(List.copyOf(corpus.values()));
      int i = 0;
      Instant now = Instant.parse("2025-01-01T00:00:00Z");
      for (Map.Entry<String, String> doc : corpus.entrySet()) {
        String id = UUID.nameUUIDFromBytes(doc.getKey().getBytes(StandardCharsets.UTF_8)).toString();
        points.add(new IndexPoint(id, vectors.get(i++), new PointPayload("eval", doc.getKey(), id, 0, doc.getValue(), "h", 1,
            "file:///tiny#" + doc.getKey(), Optional.empty(), "", Optional.of("text/plain"), Optional.empty(), Map.of(), List.of(),
            model.modelId(), now, now, false, Optional.empty(), false, List.of())));
        registry.put(new DocumentStatus("eval", doc.getKey(), DocumentStatus.State.INDEXED, 1, 1, now, now, Optional.empty()));
      }
    }
    index.upsert(points);
    index.refresh();
    String tokens = "tok-e=eval,tok-x=other";
    deep = QueryService.start(QueryConfig.from(Map.of(QueryConfig.PORT, "0", QueryConfig.AUTH_TOKENS, tokens,
        QueryConfig.MAX_TOP_K, "100")), model, index, registry, Metrics.newPrometheusRegistry());
    standard = QueryService.start(QueryConfig.from(Map.of(QueryConfig.PORT, "0", QueryConfig.AUTH_TOKENS, tokens)),
        model, index, registry, Metrics.newPrometheusRegistry());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable resource : new AutoCloseable[] {deep, standard, index, registry, model}) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void keywordFiguresMatchTheHandComputedOnes() throws Exception {
    Run run = eval(deep, "tok-e", "--mode", "keyword", "--json");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.path("queries").asInt()).isEqualTo(3);
    assertThat(report.path("topK").asInt()).isEqualTo(100);
    assertThat(report.path("mode").asText()).isEqualTo("keyword");
    assertThat(report.path("modelId").asText()).isEqualTo(model.modelId());
    double ndcgQ1 = 1 / (1 + 1 / LOG2_3);
    double ndcgQ2 = (2 / LOG2_3) / 2;
    assertThat(report.path("ndcg@10").asDouble()).isCloseTo((ndcgQ1 + ndcgQ2 + 0) / 3, within(1e-4));
    assertThat(report.path("recall@10").asDouble()).isCloseTo((0.5 + 1 + 0) / 3, within(1e-4));
    assertThat(report.path("recall@100").asDouble()).isCloseTo((0.5 + 1 + 0) / 3, within(1e-4));
    assertThat(report.path("mrr@10").asDouble()).isCloseTo((1 + 0.5 + 0) / 3, within(1e-4));
    assertThat(report.path("latencyMs").path("p50").asDouble()).isPositive();
    assertThat(report.path("latencyMs").path("p99").asDouble()).isGreaterThanOrEqualTo(report.path("latencyMs").path("p50").asDouble());
    assertThat(report.path("serverSearchMs").path("p99").asDouble()).isPositive();
  }

  @Test
  void textReportAndTheApiTopKLimit() throws Exception {
    // The standard service allows topK 50: eval falls back and says what that means for Recall@100.
    Run run = eval(standard, "tok-e", "--mode", "dense");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("refuses topK 100", "using 50", "SLUICE_SEARCH_MAX_TOP_K");
    assertThat(run.out()).contains("tiny: 3 judged queries, mode dense, top 50 chunks", "nDCG@10", "Recall@10", "Recall@100",
        "MRR@10", "latency     p50");
    // Dense mode returns every document for every query, so each relevant one is found.
    assertThat(run.out()).contains("Recall@100  1.0000");
  }

  @Test
  void aTenantWithoutTheCorpusIsToldToPublishIt() throws Exception {
    Run run = eval(deep, "tok-x", "--mode", "keyword");
    assertThat(run.exit()).isNotZero();
    assertThat(run.err()).contains("the corpus is not in tenant eval's index", "sluice publish --jsonl");
  }

  private record Run(int exit, String out, String err) {}

  private static Run eval(QueryService service, String token, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--dataset", dataset.toString(), "--tenant", "eval",
        "--url", "http://127.0.0.1:" + service.port(), "--token", token));
    all.addAll(List.of(args));
    CommandLine cli = new CommandLine(new EvalCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(e.getMessage());
      return 1;
    });
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }
}
