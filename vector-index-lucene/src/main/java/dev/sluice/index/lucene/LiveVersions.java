package dev.sluice.index.lucene;

import dev.sluice.index.PointPayload;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What points written since the searcher last reopened look like to a conditional upsert (their
 * {@code docVersion} and whether search sees them), so that it can compare without forcing a reopen
 * (which would flush a tiny segment per batch). The same idea as Elasticsearch's live version map,
 * keyed by Lucene sequence numbers: an entry whose write is not yet visible to the searcher wins over
 * what the searcher says; once the searcher has caught up, the entry is dropped and the searcher is
 * the truth again.
 *
 * <p>Callers hold the index's write lock around "look up, then write, then {@link #put}", so the
 * latest write of an id is always the entry kept.
 */
final class LiveVersions {

  /**
   * A stored point as a conditional upsert sees it.
   *
   * @param visible neither deleted nor staged: a staged point may not replace it
   */
  record Stored(long docVersion, boolean visible) {
    static Stored of(PointPayload payload) {
      return new Stored(payload.docVersion(), payload.visible());
    }
  }

  /** Recorded for a hard-deleted point: it no longer exists. Compared by identity. */
  static final Stored ABSENT = new Stored(Long.MIN_VALUE, false);

  private record Entry(long sequenceNumber, Stored point) {}

  // Pruning walks the map; doing it every write would cost more than it saves.
  private static final int PRUNE_EVERY = 1024;

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private int writesSincePrune;

  /** Records that the write with {@code sequenceNumber} left point {@code id} as {@code point}. */
  void put(String id, long sequenceNumber, Stored point) {
    entries.put(id, new Entry(sequenceNumber, point));
  }

  /**
   * The point {@code id} as written after the searcher generation {@code visible} ({@link #ABSENT}
   * if that write deleted it), or {@code null} when the searcher (acquired after reading {@code
   * visible}) already reflects its last write.
   */
  Stored recent(String id, long visible) {
    Entry entry = entries.get(id);
    return entry == null || entry.sequenceNumber() <= visible ? null : entry.point();
  }

  /** Drops entries the searcher of generation {@code visible} reflects; cheap unless due. */
  void prune(long visible) {
    if (++writesSincePrune < PRUNE_EVERY) {
      return;
    }
    writesSincePrune = 0;
    entries.values().removeIf(entry -> entry.sequenceNumber() <= visible);
  }

  int size() {
    return entries.size();
  }
}
