package dev.sluice.indexer;

import dev.sluice.index.IndexPoint;
import dev.sluice.runtime.DeadLetters.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The chunks one task has accepted but not yet written: written as one batch when full, when a
 * manifest arrives, when the oldest has waited the linger time, and always before the task's offsets
 * are committed (so nothing acknowledged to Kafka is only in memory). Not thread-safe: one per task.
 */
final class PendingPoints {

  /** A point with the record it came from, kept so that it can still be dead-lettered. */
  record Pending(IndexPoint point, Record<String, byte[]> record, Origin origin) {}

  private final int capacity;
  private final List<Pending> points = new ArrayList<>();
  private long oldestNanos;

  PendingPoints(int capacity) {
    this.capacity = capacity;
  }

  /** Adds one point; true when the batch is now full. */
  boolean add(Pending pending) {
    if (points.isEmpty()) {
      oldestNanos = System.nanoTime();
    }
    points.add(pending);
    return points.size() >= capacity;
  }

  boolean isEmpty() {
    return points.isEmpty();
  }

  /** Whether the oldest point has waited at least {@code lingerNanos}. */
  boolean isDue(long lingerNanos) {
    return !points.isEmpty() && System.nanoTime() - oldestNanos >= lingerNanos;
  }

  /** The first point, whose model and dimension fix an empty index's when the batch is written. */
  Optional<IndexPoint> first() {
    return points.isEmpty() ? Optional.empty() : Optional.of(points.getFirst().point());
  }

  /** Everything pending, which is then empty. */
  List<Pending> drain() {
    List<Pending> drained = List.copyOf(points);
    points.clear();
    return drained;
  }
}
