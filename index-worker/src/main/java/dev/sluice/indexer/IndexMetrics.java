package dev.sluice.indexer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The index stage's meters: {@code sluice.index.points{result}} counts points by what happened to
 * them (upserted, stale, rewritten, retired, soft-deleted, purged, dead-lettered), {@code
 * sluice.index.documents.incomplete} versions whose chunks were missing, and {@code
 * sluice.index.freshness} the event-to-searchable latency of each indexed document version.
 */
final class IndexMetrics {
  private final Counter upserted;
  private final Counter stale;
  private final Counter rewritten;
  private final Counter retired;
  private final Counter softDeleted;
  private final Counter purged;
  private final Counter deadLettered;
  private final Counter incomplete;
  private final Timer freshness;

  IndexMetrics(MeterRegistry registry) {
    this.upserted = points(registry, "upserted");
    this.stale = points(registry, "stale");
    this.rewritten = points(registry, "rewritten");
    this.retired = points(registry, "retired");
    this.softDeleted = points(registry, "soft-deleted");
    this.purged = points(registry, "purged");
    this.deadLettered = points(registry, "dead-lettered");
    this.incomplete = Counter.builder("sluice.index.documents.incomplete")
        .description("Document versions not swapped in because chunks were missing").register(registry);
    this.freshness = Timer.builder("sluice.index.freshness")
        .description("From a document event's time to its version being searchable")
        .publishPercentileHistogram().register(registry);
  }

  private static Counter points(MeterRegistry registry, String result) {
    return Counter.builder("sluice.index.points").description("Points (or stale records) by what the index stage did")
        .tag("result", result).register(registry);
  }

  void upserted(int count) {
    upserted.increment(count);
  }

  void stale() {
    stale.increment();
  }

  void rewritten(int count) {
    rewritten.increment(count);
  }

  void retired(int count) {
    retired.increment(count);
  }

  void softDeleted(int count) {
    softDeleted.increment(count);
  }

  void purged(long count) {
    purged.increment(count);
  }

  void deadLettered() {
    deadLettered.increment();
  }

  void incomplete() {
    incomplete.increment();
  }

  void documentIndexed(Instant eventTime, Instant searchableAt) {
    freshness.record(Duration.between(eventTime, searchableAt).abs());
  }
}
