package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Ties the index's durability to Kafka's offsets. This "store" holds no data of its own; just before
 * Kafka Streams commits a task's offsets it lets the task's processor write what it still batches in
 * memory, then commits the vector index and the document registry. So an offset is never committed
 * before the index writes of the records before it are durable, and a crash replays (idempotently)
 * at most what came after the last commit: the data at risk is bounded by the commit interval, and
 * is never lost, only redone.
 *
 * <p>Why {@link CachedStateStore}: Kafka Streams 4.1 calls {@link StateStore#flush} only when it
 * checkpoints (on close, or after many changelog records), not on every commit; what it does call on
 * every commit, before committing offsets or the transaction, is {@code flushCache()} of caching
 * stores. That interface is internal to Kafka Streams, so {@code IndexCrashIT} (a worker killed
 * mid-swap must end like a clean run) guards this hook on every Kafka upgrade.
 */
final class IndexCommitStore implements StateStore, CachedStateStore<Object, Object> {
  static final String NAME = "index-commit";

  private final VectorIndex index;
  private final DocumentRegistry registry;
  private final List<Runnable> beforeCommit = new ArrayList<>();
  private volatile boolean open;

  IndexCommitStore(VectorIndex index, DocumentRegistry registry) {
    this.index = index;
    this.registry = registry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    // Nothing to restore: the index itself is the state, and it is durable on its own.
    context.register(root, (key, value) -> {});
    open = true;
  }

  /** Runs {@code write} before every commit: the task's batched writes. */
  void beforeCommit(Runnable write) {
    beforeCommit.add(write);
  }

  /** Called by Kafka Streams before it commits the task's offsets. */
  @Override
  public void flushCache() {
    commit();
  }

  /** Called by Kafka Streams when it checkpoints the task (close, rebalance). */
  @Override
  public void flush() {
    commit();
  }

  private void commit() {
    beforeCommit.forEach(Runnable::run);
    index.commit();
    registry.commit();
  }

  /** A dirty close drops the task's uncommitted work: the records are replayed, nothing to undo here. */
  @Override
  public void clearCache() {
    // The pending batch belongs to the processor, which is discarded with the task.
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Builds one store per task, all committing the same shared index. */
  static StoreBuilder<IndexCommitStore> builder(VectorIndex index, DocumentRegistry registry) {
    return new StoreBuilder<>() {
      @Override
      public StoreBuilder<IndexCommitStore> withCachingEnabled() {
        return this;
      }

      @Override
      public StoreBuilder<IndexCommitStore> withCachingDisabled() {
        return this;
      }

      @Override
      public StoreBuilder<IndexCommitStore> withLoggingEnabled(Map<String, String> config) {
        return this;
      }

      @Override
      public StoreBuilder<IndexCommitStore> withLoggingDisabled() {
        return this;
      }

      @Override
      public IndexCommitStore build() {
        return new IndexCommitStore(index, registry);
      }

      @Override
      public Map<String, String> logConfig() {
        return Map.of();
      }

      @Override
      public boolean loggingEnabled() {
        return false;
      }

      @Override
      public String name() {
        return NAME;
      }
    };
  }
}
