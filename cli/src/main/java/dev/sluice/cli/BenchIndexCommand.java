package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.lucene.LuceneVectorIndex;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench index}: the embedded Lucene index under load. Builds a fresh index of {@code
 * --points} points in batches as the index worker writes them (version-guarded upserts, then a
 * commit) and reports upsert throughput; then, on a read-only instance as the query service opens
 * it, runs each query as a dense and as a hybrid search, interleaved, three times, for p50/p99
 * latency, and measures recall@10 of the HNSW search against exact (brute-force cosine) search over
 * the same points. Figures are medians over {@code --runs} runs, each on a new index.
 *
 * <p>Vectors are realistic where possible: with {@code --corpus} (a BEIR {@code corpus.jsonl}, e.g.
 * SciFact) the first {@code --base} passages are embedded with the default model, and every point
 * is one of them mixed with a random second one ({@code v = norm(a + λ·b + ε)}, λ uniform in
 * [0, 0.35), ε Gaussian with norm ≈ 0.15), its text that passage's start followed by the other's:
 * a point cloud shaped like real embeddings, at a size the model could not embed here in time
 * (about 30 passages/s on 2 cores). The first {@code --base} points are the real embeddings
 * themselves. Queries are the corpus's {@code queries.jsonl} beside it, embedded as queries.
 * Without a corpus, or with a {@code --dim} other than the model's, points come from a mixture of
 * Gaussian clusters with synthetic text. Embeddings are cached in the work dir between runs.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Measure the Lucene index: upsert points/s, dense and hybrid search p50/p99, HNSW recall@10 vs exact search.")
final class BenchIndexCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TENANT = "bench";
  private static final int BATCH = 256;
  private static final int TOP_K = 10;

  @Option(names = "--points", defaultValue = "100000", description = "Points in the index (default: ${DEFAULT-VALUE}).")
  int points;

  @Option(names = "--dim", defaultValue = "384", description = "Vector dimension (default: ${DEFAULT-VALUE}, the model's).")
  int dim;

  @Option(names = "--corpus", paramLabel = "FILE", description = "BEIR corpus.jsonl whose passages seed the vectors (queries.jsonl beside it).")
  Optional<Path> corpus = Optional.empty();

  @Option(names = "--base", defaultValue = "2000", description = "Corpus passages embedded as the base of the point cloud (default: ${DEFAULT-VALUE}).")
  int base;

  @Option(names = "--queries", defaultValue = "300", description = "Queries per run (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--runs", defaultValue = "3", description = "Runs, each on a new index; medians are reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--work-dir", description = "Where indexes and the embedding cache go (default: a new temp dir).")
  Optional<Path> workDir = Optional.empty();

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  /** The points' vectors and texts, and the queries'; vectors normalised. */
  record Workload(String kind, float[][] vectors, String[] texts, float[][] queryVectors, String[] queryTexts) {}

  /** One run's figures. */
  record Run(double upsertPerSecond, double denseP50, double denseP99, double hybridP50, double hybridP99, double recall) {}

  @Override
  public Integer call() throws Exception {
    if (points < TOP_K || dim < 2 || runs < 1 || queries < 1 || base < 1) {
      throw new CliException("need --points >= 10, --dim >= 2, --runs >= 1, --queries >= 1 and --base >= 1");
    }
    Path work = workDir.orElseGet(() -> tempDir());
    Files.createDirectories(work);
    Workload workload = workload(work);
    log("exact top-%d of %d queries over %d points...", TOP_K, workload.queryVectors().length, points);
    List<Set<Integer>> exact = Arrays.stream(workload.queryVectors()).map(q -> exactTopK(workload.vectors(), q)).toList();
    List<Run> results = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      results.add(run(workload, exact, work.resolve("index-" + System.nanoTime())));
      log("run %d: %s", run + 1, results.getLast());
    }
    report(workload, results);
    return 0;
  }

  private Run run(Workload w, List<Set<Integer>> exact, Path dir) {
    try {
      double upsertPerSecond = build(w, dir);
      // Searched as the query service searches: a read-only instance over the committed index.
      try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(dir)) {
        index.refresh();
        return search(index, w, exact, upsertPerSecond);
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Writes every point in batches as the index worker does, then commits; returns points/s. Closing
   * waits for the merges the writes started, so that they do not run during the searches.
   */
  private double build(Workload w, Path dir) {
    try (LuceneVectorIndex index = LuceneVectorIndex.openWritable(dir)) {
      Instant indexedAt = Instant.now();
      long start = System.nanoTime();
      List<IndexPoint> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < points; i++) {
        batch.add(point(i, w, indexedAt));
        if (batch.size() == BATCH || i == points - 1) {
          index.upsert(batch);
          batch.clear();
        }
      }
      index.commit();
      return points / ((System.nanoTime() - start) / 1e9);
    }
  }

  private Run search(LuceneVectorIndex index, Workload w, List<Set<Integer>> exact, double upsertPerSecond) {
    SearchScope scope = new SearchScope(TENANT, Set.of());
    // Warm-up: JIT, page cache, Lucene's lazily loaded structures.
    for (int q = 0; q < Math.min(200, w.queryVectors().length * 2); q++) {
      int i = q % w.queryVectors().length;
      index.search(new SearchRequest(scope, w.queryVectors()[i], w.queryTexts()[i], TOP_K, q % 2 == 0 ? SearchMode.DENSE : SearchMode.HYBRID));
    }
    List<Double> dense = new ArrayList<>();
    List<Double> hybrid = new ArrayList<>();
    double recall = 0;
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < w.queryVectors().length; i++) {
        // Interleaved, alternating which goes first, so machine noise hits both modes alike.
        boolean denseFirst = (i + pass) % 2 == 0;
        if (!denseFirst) {
          hybrid.add(timed(index, new SearchRequest(scope, w.queryVectors()[i], w.queryTexts()[i], TOP_K, SearchMode.HYBRID), null));
        }
        List<SearchHit> hits = new ArrayList<>();
        dense.add(timed(index, new SearchRequest(scope, w.queryVectors()[i], null, TOP_K, SearchMode.DENSE), hits));
        if (denseFirst) {
          hybrid.add(timed(index, new SearchRequest(scope, w.queryVectors()[i], w.queryTexts()[i], TOP_K, SearchMode.HYBRID), null));
        }
        if (pass == 0) {
          Set<Integer> found = new HashSet<>();
          hits.forEach(hit -> found.add(hit.payload().ordinal()));
          found.retainAll(exact.get(i));
          recall += found.size() / (double) TOP_K;
        }
      }
    }
    return new Run(upsertPerSecond, percentile(dense, 50), percentile(dense, 99), percentile(hybrid, 50),
        percentile(hybrid, 99), recall / w.queryVectors().length);
  }

  private static double timed(LuceneVectorIndex index, SearchRequest request, List<SearchHit> into) {
    long start = System.nanoTime();
    List<SearchHit> hits = index.search(request);
    double ms = (System.nanoTime() - start) / 1e6;
    if (into != null) {
      into.addAll(hits);
    }
    return ms;
  }

  /** Point {@code i}; its ordinal is {@code i} (unique), so search hits map back to the exact ranking. */
  private static IndexPoint point(int i, Workload w, Instant indexedAt) {
    String id = UUID.nameUUIDFromBytes(("bench-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    PointPayload payload = PointPayload.builder().tenant(TENANT).docId("doc-" + (i / 20)).chunkId(id).ordinal(i)
        .text(w.texts()[i]).contentHash("hash-" + i).docVersion(1).source("bench:" + (i / 20))
        .contentType(Optional.of("text/plain")).language(Optional.of("en")).modelId("bench-" + w.kind())
        .eventTime(indexedAt).indexedAt(indexedAt).build();
    return new IndexPoint(id, w.vectors()[i], payload);
  }

  /** The ids (ordinals) of the exact top-K by cosine; vectors are normalised, so by dot product. */
  private static Set<Integer> exactTopK(float[][] vectors, float[] query) {
    PriorityQueue<double[]> best = new PriorityQueue<>(Comparator.comparingDouble((double[] e) -> e[0]));
    for (int i = 0; i < vectors.length; i++) {
      double score = dot(vectors[i], query);
      if (best.size() < TOP_K) {
        best.add(new double[] {score, i});
      } else if (score > best.peek()[0]) {
        best.poll();
        best.add(new double[] {score, i});
      }
    }
    Set<Integer> ids = new HashSet<>();
    best.forEach(e -> ids.add((int) e[1]));
    return ids;
  }

  private Workload workload(Path work) throws IOException {
    Random random = new Random(42);
    Optional<Path> corpusFile = corpus.filter(Files::isRegularFile);
    if (corpus.isPresent() && corpusFile.isEmpty()) {
      throw new CliException("no corpus file " + corpus.get());
    }
    if (corpusFile.isPresent() && dim == ModelCatalogue.spec(ModelCatalogue.DEFAULT_MODEL).dimension()) {
      Embedded embedded = Embedded.load(corpusFile.get(), base, queries, work);
      return mixed(embedded, random);
    }
    return clustered(random);
  }

  private Workload mixed(Embedded e, Random random) {
    float[][] vectors = new float[points][];
    String[] texts = new String[points];
    int n = e.passages().length;
    double noise = 0.15 / Math.sqrt(dim);
    for (int i = 0; i < points; i++) {
      int a = i % n;
      if (i < n) {
        vectors[i] = e.passages()[a];
        texts[i] = e.texts()[a];
        continue;
      }
      int b = random.nextInt(n);
      double lambda = random.nextDouble() * 0.35;
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = (float) (e.passages()[a][d] + lambda * e.passages()[b][d] + noise * random.nextGaussian());
      }
      vectors[i] = normalise(v);
      texts[i] = words(e.texts()[a], 0, 60) + " " + words(e.texts()[b], 0, 20);
    }
    return new Workload("scifact-minilm-mixed", vectors, texts, e.queries(), e.queryTexts());
  }

  private Workload clustered(Random random) {
    int clusters = Math.max(10, points / 50);
    float[][] centres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = normalise(gaussian(random, 1.0));
    }
    String[] vocabulary = IntStream.range(0, 5000).mapToObj(i -> "term" + Integer.toString(i, 36)).toArray(String[]::new);
    float[][] vectors = new float[points][];
    String[] texts = new String[points];
    for (int i = 0; i < points; i++) {
      int c = random.nextInt(clusters);
      float[] noise = gaussian(random, 0.6 / Math.sqrt(dim));
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = centres[c][d] + noise[d];
      }
      vectors[i] = normalise(v);
      StringBuilder text = new StringBuilder();
      for (int t = 0; t < 40; t++) {
        text.append(vocabulary[(c * 7 + random.nextInt(60)) % vocabulary.length]).append(' ');
      }
      texts[i] = text.toString().strip();
    }
    float[][] queryVectors = new float[queries][];
    String[] queryTexts = new String[queries];
    for (int q = 0; q < queries; q++) {
      int i = random.nextInt(points);
      float[] noise = gaussian(random, 0.3 / Math.sqrt(dim));
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = vectors[i][d] + noise[d];
      }
      queryVectors[q] = normalise(v);
      queryTexts[q] = words(texts[i], 0, 4);
    }
    return new Workload("clustered-gaussian", vectors, texts, queryVectors, queryTexts);
  }

  /** Real embeddings of corpus passages and queries, cached in the work dir. */
  record Embedded(float[][] passages, String[] texts, float[][] queries, String[] queryTexts) {

    static Embedded load(Path corpus, int base, int queryCount, Path work) throws IOException {
      List<String> passages = readJsonl(corpus, base, node -> (node.path("title").asText("") + " " + node.path("text").asText()).strip());
      Path queriesFile = corpus.resolveSibling("queries.jsonl");
      if (!Files.isRegularFile(queriesFile)) {
        throw new CliException("no queries.jsonl beside " + corpus);
      }
      List<String> queryTexts = readJsonl(queriesFile, queryCount, node -> node.path("text").asText());
      Path cache = work.resolve("embeddings-" + ModelCatalogue.DEFAULT_MODEL + "-" + passages.size() + "-" + queryTexts.size() + ".bin");
      if (Files.exists(cache)) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(cache))) {
          return new Embedded(readVectors(in, passages.size()), passages.toArray(String[]::new),
              readVectors(in, queryTexts.size()), queryTexts.toArray(String[]::new));
        }
      }
      log("embedding %d passages and %d queries with %s (cached in %s)...", passages.size(), queryTexts.size(),
          ModelCatalogue.DEFAULT_MODEL, cache);
      try (EmbeddingModel model = ModelCatalogue.loadDefault(); Embedder embedder = model.newEmbedder()) {
        float[][] passageVectors = new float[passages.size()][];
        for (int from = 0; from < passages.size(); from += 16) {
          List<float[]> batch = embedder.embedPassages(passages.subList(from, Math.min(passages.size(), from + 16)));
          for (int j = 0; j < batch.size(); j++) {
            passageVectors[from + j] = batch.get(j);
          }
        }
        float[][] queryVectors = queryTexts.stream().map(embedder::embedQuery).toArray(float[][]::new);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(cache))) {
          writeVectors(out, passageVectors);
          writeVectors(out, queryVectors);
        }
        return new Embedded(passageVectors, passages.toArray(String[]::new), queryVectors, queryTexts.toArray(String[]::new));
      }
    }

    private static List<String> readJsonl(Path file, int limit, java.util.function.Function<JsonNode, String> text) throws IOException {
      List<String> texts = new ArrayList<>();
      try (BufferedReader reader = Files.newBufferedReader(file)) {
        String line;
        while (texts.size() < limit && (line = reader.readLine()) != null) {
          if (!line.isBlank()) {
            texts.add(text.apply(JSON.readTree(line)));
          }
        }
      }
      return texts;
    }

    private static float[][] readVectors(DataInputStream in, int count) throws IOException {
      float[][] vectors = new float[count][];
      for (int i = 0; i < count; i++) {
        vectors[i] = new float[in.readInt()];
        for (int d = 0; d < vectors[i].length; d++) {
          vectors[i][d] = in.readFloat();
        }
      }
      return vectors;
    }

    private static void writeVectors(DataOutputStream out, float[][] vectors) throws IOException {
      for (float[] vector : vectors) {
        out.writeInt(vector.length);
        for (float component : vector) {
          out.writeFloat(component);
        }
      }
    }
  }

  private void report(Workload w, List<Run> results) throws IOException {
    ObjectNode out = JSON.createObjectNode();
    out.put("points", points);
    out.put("dim", dim);
    out.put("vectors", w.kind());
    out.put("queries", w.queryVectors().length);
    out.put("runs", results.size());
    out.put("upsertPointsPerSecond", round(median(results, Run::upsertPerSecond), 0));
    ObjectNode dense = out.putObject("dense");
    dense.put("p50Ms", round(median(results, Run::denseP50), 2));
    dense.put("p99Ms", round(median(results, Run::denseP99), 2));
    ObjectNode hybrid = out.putObject("hybrid");
    hybrid.put("p50Ms", round(median(results, Run::hybridP50), 2));
    hybrid.put("p99Ms", round(median(results, Run::hybridP99), 2));
    out.put("recallAt10", round(median(results, Run::recall), 4));
    ArrayNode perRun = out.putArray("perRun");
    results.forEach(r -> perRun.add(JSON.valueToTree(r)));
    if (json) {
      System.out.println(JSON.writeValueAsString(out));
      return;
    }
    System.out.printf("%d points, dim %d (%s), %d queries, median of %d runs%n", points, dim, w.kind(), w.queryVectors().length, results.size());
    System.out.printf("upsert: %.0f points/s%n", out.path("upsertPointsPerSecond").asDouble());
    System.out.printf("dense:  p50 %.2f ms, p99 %.2f ms%n", dense.path("p50Ms").asDouble(), dense.path("p99Ms").asDouble());
    System.out.printf("hybrid: p50 %.2f ms, p99 %.2f ms%n", hybrid.path("p50Ms").asDouble(), hybrid.path("p99Ms").asDouble());
    System.out.printf("recall@10 (HNSW vs exact): %.4f%n", out.path("recallAt10").asDouble());
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
    double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
    return values[values.length / 2];
  }

  private static double percentile(List<Double> values, int p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }

  private static String words(String text, int from, int count) {
    String[] words = text.split("\\s+");
    return String.join(" ", Arrays.copyOfRange(words, Math.min(from, words.length), Math.min(words.length, from + count)));
  }

  private float[] gaussian(Random random, double sigma) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) (random.nextGaussian() * sigma);
    }
    return v;
  }

  private static float[] normalise(float[] v) {
    double norm = Math.sqrt(dot(v, v));
    for (int d = 0; d < v.length; d++) {
      v[d] = (float) (v[d] / norm);
    }
    return v;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int d = 0; d < a.length; d++) {
      sum += a[d] * b[d];
    }
    return sum;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sluice-bench-index");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp index is harmless.
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf("bench index: " + format + "%n", args);
  }
}
