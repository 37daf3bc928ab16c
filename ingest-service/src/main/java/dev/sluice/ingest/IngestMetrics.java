package dev.sluice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The ingest stage's meters: {@code sluice.ingest.documents{result}} (accepted, unchanged, stale,
 * deleted, failed), {@code sluice.ingest.chunks}, {@code sluice.ingest.failures{reason}}, {@code
 * sluice.ingest.parse} (parse time), and, counted over the chunks of accepted versions, {@code
 * sluice.ingest.pii.redacted{kind}} (values replaced by a placeholder) and {@code
 * sluice.ingest.chunks.flagged{flag}} (chunks carrying a flag, e.g. prompt-injection).
 */
final class IngestMetrics {
  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter unchanged;
  private final Counter stale;
  private final Counter deleted;
  private final Counter failed;
  private final Counter chunks;
  private final Timer parse;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = documents("accepted");
    this.unchanged = documents("unchanged");
    this.stale = documents("stale");
    this.deleted = documents("deleted");
    this.failed = documents("failed");
    this.chunks = Counter.builder("sluice.ingest.chunks").description("Chunks emitted").register(registry);
    this.parse = Timer.builder("sluice.ingest.parse").description("Time to parse one document").register(registry);
  }

  private Counter documents(String result) {
    return Counter.builder("sluice.ingest.documents").description("Document events by outcome")
        .tag("result", result).register(registry);
  }

  /** A version whose chunks were emitted. */
  void accepted(DocumentIngestor.Ingested document) {
    accepted.increment();
    chunks.increment(document.chunks().size());
    document.redacted().forEach((kind, count) -> Counter.builder("sluice.ingest.pii.redacted")
        .description("Personal data values replaced by a placeholder before chunking, by kind")
        .tag("kind", kind.wireName()).register(registry).increment(count));
    for (TextChunker.ChunkText chunk : document.chunks()) {
      chunk.flags().forEach(flag -> Counter.builder("sluice.ingest.chunks.flagged")
          .description("Chunks emitted with a flag, by flag").tag("flag", flag).register(registry).increment());
    }
  }

  /** An UPSERT whose content equals the last accepted version's: a manifest, no chunks. */
  void unchanged() {
    unchanged.increment();
  }

  void stale() {
    stale.increment();
  }

  void deleted() {
    deleted.increment();
  }

  void parsed(Duration time) {
    parse.record(time);
  }

  /** Failed documents by dead-letter reason (a small, fixed set of codes). */
  void failed(String reason) {
    failed.increment();
    Counter.builder("sluice.ingest.failures").description("Documents sent to the dead-letter topic, by reason")
        .tag("reason", reason).register(registry).increment();
  }
}
