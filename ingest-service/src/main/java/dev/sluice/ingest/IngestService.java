package dev.sluice.ingest;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.runtime.ServiceMain;
import dev.sluice.runtime.StreamsService;
import io.micrometer.core.instrument.MeterRegistry;

/** The ingest service: {@code main} for running it alone, {@link #start} for local mode. */
public final class IngestService implements ServiceMain.Running {
  private final StreamsService streams;

  private IngestService(StreamsService streams) {
    this.streams = streams;
  }

  /** Starts the service with a model loaded by the caller (shared in local mode). */
  public static IngestService start(IngestConfig config, EmbeddingModel model, MeterRegistry registry) {
    var topology = IngestTopology.build(config, model.tokenizer(), registry);
    return new IngestService(StreamsService.start("ingest-service", topology, config.streams(), registry));
  }

  public StreamsService streams() {
    return streams;
  }

  @Override
  public void awaitStop() throws InterruptedException {
    streams.awaitStop();
  }

  @Override
  public void close() {
    streams.close();
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
