package dev.sluice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The ingest stage's counters ({@code sluice.ingest.documents{result}}, {@code sluice.ingest.chunks}). */
final class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter stale;
  private final Counter deleted;
  private final Counter failed;
  private final Counter chunks;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = documents("accepted");
    this.stale = documents("stale");
    this.deleted = documents("deleted");
    this.failed = documents("failed");
    this.chunks = Counter.builder("sluice.ingest.chunks").description("Chunks emitted").register(registry);
  }

  private Counter documents(String result) {
    return Counter.builder("sluice.ingest.documents").description("Document events by outcome")
        .tag("result", result).register(registry);
  }

  void accepted(int chunkCount) {
    accepted.increment();
    chunks.increment(chunkCount);
  }

  void stale() {
    stale.increment();
  }

  void deleted() {
    deleted.increment();
  }

  /** Failed documents by dead-letter reason (a small, fixed set of codes). */
  void failed(String reason) {
    failed.increment();
    Counter.builder("sluice.ingest.failures").description("Documents sent to the dead-letter topic, by reason")
        .tag("reason", reason).register(registry).increment();
  }
}
