package dev.sluice.ingest;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.runtime.ServiceMain;
import dev.sluice.runtime.StreamsService;
import io.micrometer.core.instrument.MeterRegistry;

/** The ingest service: {@code main} for running it alone, {@link #start} for local mode (the running service is a {@link StreamsService}). */
public final class IngestService {
  private IngestService() {}

  /** Starts the service with a model loaded by the caller (shared in local mode). */
  public static StreamsService start(IngestConfig config, EmbeddingModel model, MeterRegistry registry) {
    var topology = IngestTopology.build(config, model.tokenizer(), registry);
    return StreamsService.start("ingest-service", topology, config.streams(), registry);
  }

  public static void main(String[] args) {
    ServiceMain.run("ingest-service", context -> {
      IngestConfig config = IngestConfig.from(context.settings());
      // The widest tenant budget sets the window the chunker checks budgets against.
      EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.chunking().largestMaxTokens());
      return start(config, model, context.registry());
    });
  }
}
