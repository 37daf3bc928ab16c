package dev.sluice.embed;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Vectors already computed, by (model id, window, chunk content hash), in changelogged persistent
 * stores, so that a replay, an unchanged paragraph or a re-chunk of the same text is never embedded
 * again by that model. The window is part of the key because it decides which tokens the model
 * sees.
 *
 * <p><b>Eviction</b>: at most {@code maxEntries} entries per task (partition); past that, the
 * entries inserted longest ago are evicted first (FIFO, not LRU). A hit writes nothing, so
 * replaying a cached corpus adds nothing to the changelog; the price is that an entry still in use
 * can be evicted, to be embedded once more and re-enter as the newest. Insertion order lives in a
 * second store (sequence number to key), which the changelog also restores.
 *
 * <p>Not thread-safe: one per task, used from its stream thread.
 */
final class EmbeddingCache {

  private final KeyValueStore<String, byte[]> vectors;
  private final KeyValueStore<Long, String> insertionOrder;
  private final String keyPrefix;
  private final long maxEntries;
  private long firstSeq;
  private long nextSeq;

  /**
   * @param keyPrefix identifies the model and window, e.g. {@code all-minilm-l6-v2@3f2a9c1d/256/}
   */
  EmbeddingCache(
      KeyValueStore<String, byte[]> vectors,
      KeyValueStore<Long, String> insertionOrder,
      String keyPrefix,
      long maxEntries) {
    this.vectors = vectors;
    this.insertionOrder = insertionOrder;
    this.keyPrefix = keyPrefix;
    this.maxEntries = maxEntries;
    try (KeyValueIterator<Long, String> first = insertionOrder.all();
        KeyValueIterator<Long, String> last = insertionOrder.reverseAll()) {
      this.firstSeq = first.hasNext() ? first.next().key : 0;
      this.nextSeq = last.hasNext() ? last.next().key + 1 : 0;
    }
  }

  Optional<float[]> get(String contentHash) {
    return Optional.ofNullable(vectors.get(keyPrefix + contentHash)).map(EmbeddingCache::decode);
  }

  /** Caches a vector computed for a hash not yet cached, evicting the oldest entry when full. */
  void put(String contentHash, float[] vector) {
    String key = keyPrefix + contentHash;
    vectors.put(key, encode(vector));
    insertionOrder.put(nextSeq++, key);
    if (nextSeq - firstSeq > maxEntries) {
      evictOldest(nextSeq - firstSeq - maxEntries);
    }
  }

  // Scans from the first live sequence number rather than from the start of the store, which
  // would step over the tombstones of everything evicted before.
  private void evictOldest(long count) {
    List<KeyValue<Long, String>> oldest = new ArrayList<>();
    try (KeyValueIterator<Long, String> it = insertionOrder.range(firstSeq, nextSeq - 1)) {
      while (oldest.size() < count && it.hasNext()) {
        oldest.add(it.next());
      }
    }
    for (KeyValue<Long, String> entry : oldest) {
      vectors.delete(entry.value);
      insertionOrder.delete(entry.key);
      firstSeq = entry.key + 1;
    }
  }

  private static byte[] encode(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  private static float[] decode(byte[] bytes) {
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(vector);
    return vector;
  }
}
