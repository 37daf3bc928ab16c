package dev.sluice.embed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The embed stage's meters: {@code sluice.embed.chunks{result=embedded|cached|failed}} counts what
 * the model computed, what the cache (or an identical text earlier in the same batch) served, and
 * what went to the dead-letter topic; {@code sluice.embed.latency} times model calls and {@code
 * sluice.embed.batch.size} counts the texts in each; {@code sluice.embed.engine.failures} counts
 * batches the model runtime failed on as a whole, which are retried rather than dead-lettered (an
 * alert on it catches a broken runtime before the retries run out). Thread-safe (Micrometer meters
 * are).
 */
final class EmbedMetrics {
  private final Counter embedded;
  private final Counter cached;
  private final Counter failed;
  private final Timer modelCalls;
  private final DistributionSummary batchSizes;
  private final Counter engineFailures;

  EmbedMetrics(MeterRegistry registry) {
    this.embedded = chunks(registry, "embedded");
    this.cached = chunks(registry, "cached");
    this.failed = chunks(registry, "failed");
    this.modelCalls = Timer.builder("sluice.embed.latency").description("Time of one model call")
        .publishPercentileHistogram().register(registry);
    this.batchSizes = DistributionSummary.builder("sluice.embed.batch.size")
        .description("Texts per model call").register(registry);
    this.engineFailures = Counter.builder("sluice.embed.engine.failures")
        .description("Batches the model runtime failed on as a whole; retried, not dead-lettered").register(registry);
  }

  private static Counter chunks(MeterRegistry registry, String result) {
    return Counter.builder("sluice.embed.chunks").description("Chunks by how their vector was obtained")
        .tag("result", result).register(registry);
  }

  void embedded(int count) {
    embedded.increment(count);
  }

  void cached(int count) {
    cached.increment(count);
  }

  void failed() {
    failed.increment();
  }

  Timer modelCalls() {
    return modelCalls;
  }

  void batch(int texts) {
    batchSizes.record(texts);
  }

  void engineFailed() {
    engineFailures.increment();
  }
}
