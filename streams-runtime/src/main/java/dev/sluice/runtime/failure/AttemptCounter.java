package dev.sluice.runtime.failure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times each record (topic, partition, offset) has failed with each exception class, in
 * this process. It is what turns "retry an infrastructure failure" into "retry it a bounded number
 * of times": a stream thread that fails is replaced in the same client, its task replays the record
 * at the same offset, and the replacement sees the count of its predecessors.
 *
 * <p>In memory only: a process restart starts every count again, so a record is tried at most
 * {@code streams.max.record.attempts} times per process lifetime (per instance, should its task move
 * to another one). Counts are never cleared when a record is finally dead-lettered: a replay from an
 * older commit must find the count exhausted at once rather than start a new series. The
 * least-recently-touched entries are dropped beyond a capacity, which only failing records fill.
 * Thread-safe.
 */
public final class AttemptCounter {
  /** Far more records than can fail between two commits; about a megabyte when full. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private record Key(String topic, int partition, long offset, String exceptionClass) {}

  private final Map<Key, Integer> attempts;

  public AttemptCounter() {
    this(DEFAULT_CAPACITY);
  }

  public AttemptCounter(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.attempts = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Integer> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Counts one more failure of the record at this offset with this exception class; returns the count, 1 for the first. */
  public synchronized int failed(String topic, int partition, long offset, String exceptionClass) {
    return attempts.merge(new Key(topic, partition, offset, exceptionClass), 1, Integer::sum);
  }

  /** The failures counted so far for the record at this offset with this exception class. */
  public synchronized int attempts(String topic, int partition, long offset, String exceptionClass) {
    return attempts.getOrDefault(new Key(topic, partition, offset, exceptionClass), 0);
  }
}
