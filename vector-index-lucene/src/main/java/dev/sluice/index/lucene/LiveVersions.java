package dev.sluice.index.lucene;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code docVersion} of points written since the searcher last reopened, so that a conditional
 * upsert can compare versions without forcing a reopen (which would flush a tiny segment per
 * batch). The same idea as Elasticsearch's live version map, keyed by Lucene sequence numbers: an
 * entry whose write is not yet visible to the searcher wins over what the searcher says; once the
 * searcher has caught up, the entry is dropped and the searcher is the truth again.
 *
 * <p>Callers hold the index's write lock around "look up, then write, then {@link #put}", so the
 * latest write of an id is always the entry kept.
 */
final class LiveVersions {

  /** The version recorded for a hard-deleted point: it no longer exists. */
  static final long ABSENT = Long.MIN_VALUE;

  private record Entry(long sequenceNumber, long docVersion) {}

  // Pruning walks the map; doing it every write would cost more than it saves.
  private static final int PRUNE_EVERY = 1024;

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private int writesSincePrune;

  /** Records that the write with {@code sequenceNumber} left point {@code id} at {@code docVersion}. */
  void put(String id, long sequenceNumber, long docVersion) {
    entries.put(id, new Entry(sequenceNumber, docVersion));
  }

  /**
   * The version of {@code id} written after the searcher generation {@code visible}, or {@code null}
   * when the searcher (acquired after reading {@code visible}) already reflects its last write.
   */
  Long recent(String id, long visible) {
    Entry entry = entries.get(id);
    return entry == null || entry.sequenceNumber() <= visible ? null : entry.docVersion();
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
