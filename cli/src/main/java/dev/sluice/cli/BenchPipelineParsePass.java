package dev.sluice.cli;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.ingest.DocumentIngestor;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.runtime.SettingsSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parse half of the limit: every corpus file through the ingest's own document path ({@link
 * DocumentIngestor}), one at a time, in one parse worker JVM started for this pass; the figure is that
 * JVM's CPU time over the corpus (parsing, its GC and JIT), after one warm-up document has started
 * it and the JVMs have gone quiet, as before the pipeline's clock starts. Cleaning and chunking run in this JVM and are reported apart.
 */
final class BenchPipelineParsePass {
  private BenchPipelineParsePass() {}

  static BenchPipelineResults.ParsePass run(BenchPipelineCorpus corpus) throws IOException, InterruptedException {
    Map<String, String> overrides = new HashMap<>();
    overrides.put(IngestConfig.PARSE_ISOLATION, "process");
    overrides.put(IngestConfig.PARSE_WORKERS, "1");
    IngestConfig config = IngestConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides));
    try (EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.chunking().largestMaxTokens());
        DocumentIngestor ingestor = DocumentIngestor.open(config, model.tokenizer())) {
      ingestor.ingest("default", "Warm-up document.".getBytes(StandardCharsets.UTF_8), BenchPipelineRun.WARM_UP_DOC_ID, Optional.empty());
      BenchPipelineCpu.awaitQuiet(BenchPipelineRun.QUIET_CORES, BenchPipelineRun.QUIET_WINDOW, BenchPipelineRun.QUIET_LIMIT);
      BenchPipelineCpu before = BenchPipelineCpu.now();
      long parseNanos = 0;
      long chunkNanos = 0;
      long chunks = 0;
      int failed = 0;
      for (Path file : corpus.files()) {
        DocumentIngestor.Outcome outcome = ingestor.ingest("default", Files.readAllBytes(file), file.getFileName().toString(), Optional.empty());
        parseNanos += outcome.parseTime().toNanos();
        switch (outcome) {
          case DocumentIngestor.Ingested doc -> {
            chunkNanos += doc.chunkTime().toNanos();
            chunks += doc.chunks().size();
          }
          case DocumentIngestor.Rejected rejected -> failed++;
        }
      }
      BenchPipelineCpu.Spent cpu = BenchPipelineCpu.now().since(before);
      return new BenchPipelineResults.ParsePass(corpus.files().size(), failed, cpu.children().toNanos() / 1e9, parseNanos / 1e9,
          chunkNanos / 1e9, chunks);
    }
  }
}
