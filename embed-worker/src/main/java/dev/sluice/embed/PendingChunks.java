package dev.sluice.embed;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The batch being gathered by one task, in arrival order, held in a changelogged state store.
 *
 * <p>Why a store and not a list: Kafka Streams commits a task's input offsets right after flushing
 * its stores. Chunks held only in memory could be behind a committed offset when the process dies,
 * and would never be embedded. In the store they are committed together with the offsets (in the
 * same transaction under exactly-once), so after a crash or a rebalance the task restores them and
 * embeds them; what was not committed is read again from the chunks topic.
 *
 * <p>Keys are a sequence number (big-endian, so the store iterates in arrival order). Not
 * thread-safe: one per task, used from its stream thread.
 */
final class PendingChunks {

  private final KeyValueStore<Long, byte[]> store;
  private long firstSeq;
  private long nextSeq;

  /** Picks up whatever a previous owner of the task left in the store. */
  PendingChunks(KeyValueStore<Long, byte[]> store) {
    this.store = store;
    try (KeyValueIterator<Long, byte[]> first = store.all();
        KeyValueIterator<Long, byte[]> last = store.reverseAll()) {
      this.firstSeq = first.hasNext() ? first.next().key : 0;
      this.nextSeq = last.hasNext() ? last.next().key + 1 : 0;
    }
  }

  boolean isEmpty() {
    return nextSeq == firstSeq;
  }

  int size() {
    return Math.toIntExact(nextSeq - firstSeq);
  }

  void add(PendingChunk chunk) {
    store.put(nextSeq++, chunk.encode());
  }

  /** Every pending chunk, oldest first; they stay pending until {@link #clear}. */
  List<PendingChunk> all() {
    if (isEmpty()) {
      return List.of();
    }
    List<PendingChunk> chunks = new ArrayList<>(size());
    try (KeyValueIterator<Long, byte[]> it = store.range(firstSeq, nextSeq - 1)) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> entry = it.next();
        chunks.add(PendingChunk.decode(entry.value));
      }
    }
    return chunks;
  }

  /** Removes every pending chunk, once their outcomes have been forwarded. */
  void clear() {
    for (long seq = firstSeq; seq < nextSeq; seq++) {
      store.delete(seq);
    }
    firstSeq = nextSeq;
  }
}
