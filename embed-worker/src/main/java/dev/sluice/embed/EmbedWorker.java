package dev.sluice.embed;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.runtime.FatalServiceException;
import dev.sluice.runtime.ServiceMain;
import dev.sluice.runtime.StreamsService;
import io.micrometer.core.instrument.MeterRegistry;

/** The embed worker: {@code main} for running it alone, {@link #start} for local mode (the running service is a {@link StreamsService}). */
public final class EmbedWorker {
  private EmbedWorker() {}

  /** Starts the worker with a model loaded by the caller (one per JVM). */
  public static StreamsService start(EmbedConfig config, EmbeddingModel model, MeterRegistry registry) {
    var topology = EmbedTopology.build(config, model, registry);
    return StreamsService.start("embed-worker", topology, config.streams(), registry);
  }

  public static void main(String[] args) {
    ServiceMain.run("embed-worker", context -> {
      EmbedConfig config = EmbedConfig.from(context.settings());
      return start(config, loadModel(config), context.registry());
    });
  }

  /**
   * Loads the configured model, or stops the service at start-up: a worker that cannot embed must
   * not join the group and take partitions.
   *
   * @throws FatalServiceException naming the model and why it cannot be loaded
   */
  static EmbeddingModel loadModel(EmbedConfig config) {
    try {
      return ModelCatalogue.load(config.modelName(), config.windowTokens());
    } catch (RuntimeException e) {
      throw new FatalServiceException("model '" + config.modelName() + "' failed to load: " + e.getMessage(), e);
    }
  }
}
