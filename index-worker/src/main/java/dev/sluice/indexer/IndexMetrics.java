package dev.sluice.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The index stage's meters: {@code sluice.index.points{result}} and {@code sluice.index.freshness},
 * the event-to-searchable latency of each indexed document version.
 */
final class IndexMetrics {
  private final Counter upserted;
  private final Counter stale;
  private final Timer freshness;

  IndexMetrics(MeterRegistry registry) {
    this.upserted = Counter.builder("sluice.index.points").tag("result", "upserted").register(registry);
    this.stale = Counter.builder("sluice.index.points").tag("result", "stale").register(registry);
    this.freshness = Timer.builder("sluice.index.freshness")
        .description("From a document event's time to its version being searchable")
        .publishPercentileHistogram().register(registry);
  }

  void upserted(int count) {
    upserted.increment(count);
  }

  void stale() {
    stale.increment();
  }

  void documentIndexed(Instant eventTime, Instant searchableAt) {
    freshness.record(Duration.between(eventTime, searchableAt).abs());
  }
}
