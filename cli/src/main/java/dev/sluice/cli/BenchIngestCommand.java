package dev.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.ingest.DocumentIngestor;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.runtime.SettingsSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice bench ingest --corpus DIR}: runs every file under DIR through the ingest stage's own
 * document path ({@link DocumentIngestor}: parse in parse workers, clean, chunk with the model's
 * tokenizer, hash), without Kafka and without embedding, and reports throughput and parse times per
 * content type. Settings (limits, isolation, chunking) come from the same sources as the service's.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Measure the ingest stage (parse + clean + chunk, no Kafka, no embedding) over every file in a directory.",
        "Reports documents/s, MB/s, chunks/s, and p50/p99 parse time per content type."})
final class BenchIngestCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Directory whose files (recursively) are ingested.")
  Path corpus;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Option(names = "--parallel", defaultValue = "1",
      description = "Documents in flight at once, each with its own parse worker (default: ${DEFAULT-VALUE}, as one stream thread).")
  int parallel;

  @Option(names = "--isolation", defaultValue = "process", description = "process or thread (default: ${DEFAULT-VALUE}).")
  String isolation;

  @Option(names = "--tenant", defaultValue = "bench", description = "Tenant whose chunking policy applies (default: ${DEFAULT-VALUE}).")
  String tenant;

  /** One document's outcome. */
  private record Sample(String contentType, long bytes, int chunks, long parseNanos, long chunkNanos, String reason) {}

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(corpus)) {
      throw new CliException("--corpus " + corpus + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(corpus)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new CliException("no files under " + corpus);
    }
    Map<String, String> overrides = Map.of(IngestConfig.PARSE_ISOLATION, isolation, IngestConfig.PARSE_WORKERS, Integer.toString(parallel));
    IngestConfig config = IngestConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides));
    try (EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.chunking().largestMaxTokens());
        DocumentIngestor ingestor = DocumentIngestor.open(config, model.tokenizer())) {
      warmUp(ingestor);
      long start = System.nanoTime();
      List<Sample> samples = run(ingestor, files);
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode report = report(samples, seconds);
      if (json) {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
      } else {
        print(report);
      }
    }
    return 0;
  }

  // Starts the parse workers (a JVM each) before the clock does: a service pays that once, not per document.
  private void warmUp(DocumentIngestor ingestor) throws InterruptedException, ExecutionException {
    byte[] text = "Warm-up document.".getBytes(StandardCharsets.UTF_8);
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        started.add(pool.submit(() -> ingestor.ingest(tenant, text, "warm-up.txt", Optional.empty())));
      }
      for (Future<?> f : started) {
        f.get();
      }
    }
  }

  private List<Sample> run(DocumentIngestor ingestor, List<Path> files) throws InterruptedException, ExecutionException {
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      List<Future<Sample>> futures = new ArrayList<>(files.size());
      for (Path file : files) {
        futures.add(pool.submit(() -> ingest(ingestor, file)));
      }
      List<Sample> samples = new ArrayList<>(files.size());
      for (Future<Sample> f : futures) {
        samples.add(f.get());
      }
      return samples;
    }
  }

  private Sample ingest(DocumentIngestor ingestor, Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    DocumentIngestor.Outcome outcome = ingestor.ingest(tenant, content, file.getFileName().toString(), Optional.empty());
    return switch (outcome) {
      case DocumentIngestor.Ingested doc -> new Sample(baseType(doc.contentType()), content.length, doc.chunks().size(), doc.parseTime().toNanos(),
          doc.chunkTime().toNanos(), "");
      case DocumentIngestor.Rejected rejected ->
          new Sample(baseType(rejected.contentType().orElse("unknown")), content.length, 0, rejected.parseTime().toNanos(), 0,
              rejected.reason());
    };
  }

  private static String baseType(String contentType) {
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
  }

  private ObjectNode report(List<Sample> samples, double seconds) {
    long bytes = samples.stream().mapToLong(Sample::bytes).sum();
    long chunks = samples.stream().mapToLong(Sample::chunks).sum();
    ObjectNode out = JSON.createObjectNode();
    out.put("corpus", corpus.toString());
    out.put("documents", samples.size());
    out.put("failed", samples.stream().filter(s -> !s.reason().isEmpty()).count());
    out.put("megabytes", round(bytes / 1e6));
    out.put("chunks", chunks);
    out.put("seconds", round(seconds));
    out.put("documentsPerSecond", round(samples.size() / seconds));
    out.put("megabytesPerSecond", round(bytes / 1e6 / seconds));
    out.put("chunksPerSecond", round(chunks / seconds));
    // Where the time goes: parsing (in the parse workers) versus cleaning and chunking (tokenizer).
    out.put("parseSeconds", round(samples.stream().mapToLong(Sample::parseNanos).sum() / 1e9));
    out.put("chunkSeconds", round(samples.stream().mapToLong(Sample::chunkNanos).sum() / 1e9));
    out.put("parallel", parallel);
    out.put("isolation", isolation);
    Map<String, Integer> reasons = new TreeMap<>();
    samples.stream().filter(s -> !s.reason().isEmpty()).forEach(s -> reasons.merge(s.reason(), 1, Integer::sum));
    ObjectNode failures = out.putObject("failures");
    reasons.forEach(failures::put);
    Map<String, List<Sample>> byType = new TreeMap<>();
    samples.forEach(s -> byType.computeIfAbsent(s.contentType(), t -> new ArrayList<>()).add(s));
    ObjectNode types = out.putObject("byContentType");
    byType.forEach((type, list) -> {
      ObjectNode t = types.putObject(type);
      t.put("documents", list.size());
      t.put("failed", list.stream().filter(s -> !s.reason().isEmpty()).count());
      t.put("megabytes", round(list.stream().mapToLong(Sample::bytes).sum() / 1e6));
      t.put("chunks", list.stream().mapToLong(Sample::chunks).sum());
      long[] parse = list.stream().mapToLong(Sample::parseNanos).sorted().toArray();
      t.put("parseP50Ms", round(percentile(parse, 0.50) / 1e6));
      t.put("parseP99Ms", round(percentile(parse, 0.99) / 1e6));
    });
    return out;
  }

  // Nearest-rank percentile.
  private static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void print(ObjectNode r) {
    System.out.printf("%d documents (%d failed), %.2f MB, %d chunks in %.2f s%n",
        r.get("documents").asLong(), r.get("failed").asLong(), r.get("megabytes").asDouble(), r.get("chunks").asLong(), r.get("seconds").asDouble());
    System.out.printf("%.2f documents/s, %.2f MB/s, %.2f chunks/s (parallel %d, %s isolation)%n",
        r.get("documentsPerSecond").asDouble(), r.get("megabytesPerSecond").asDouble(), r.get("chunksPerSecond").asDouble(),
        r.get("parallel").asInt(), r.get("isolation").asText());
    System.out.printf("time in parsing %.2f s, in cleaning and chunking %.2f s%n", r.get("parseSeconds").asDouble(), r.get("chunkSeconds").asDouble());
    System.out.printf("%-60s %6s %6s %8s %7s %9s %9s%n", "content type", "docs", "failed", "MB", "chunks", "p50 ms", "p99 ms");
    r.get("byContentType").properties().forEach(e -> System.out.printf("%-60s %6d %6d %8.2f %7d %9.1f %9.1f%n",
        e.getKey(), e.getValue().get("documents").asLong(), e.getValue().get("failed").asLong(), e.getValue().get("megabytes").asDouble(),
        e.getValue().get("chunks").asLong(), e.getValue().get("parseP50Ms").asDouble(), e.getValue().get("parseP99Ms").asDouble()));
    if (!r.get("failures").isEmpty()) {
      System.out.println("failures by reason: " + r.get("failures"));
    }
  }
}
