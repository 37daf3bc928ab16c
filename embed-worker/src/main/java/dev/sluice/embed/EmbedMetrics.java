package dev.sluice.embed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The embed stage's meters: {@code sluice.embed.chunks{result=embedded|cached}} counts what the model
 * computed and what the cache served; {@code sluice.embed.latency} times model calls.
 */
final class EmbedMetrics {
  private final Counter embedded;
  private final Counter cached;
  private final Counter failed;
  private final Timer modelCalls;

  EmbedMetrics(MeterRegistry registry) {
    this.embedded = chunks(registry, "embedded");
    this.cached = chunks(registry, "cached");
    this.failed = chunks(registry, "failed");
    this.modelCalls = Timer.builder("sluice.embed.latency").description("Time of one model call")
        .publishPercentileHistogram().register(registry);
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
}
