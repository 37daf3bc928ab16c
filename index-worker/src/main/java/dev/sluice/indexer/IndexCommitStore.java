package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Ties the index's durability to Kafka's offsets. Kafka Streams flushes every state store of a task
 * before it commits the task's offsets; this "store" holds no data of its own and, when flushed,
 * commits the vector index and the document registry. So an offset is never committed before the
 * index writes of the records before it are durable, and a crash replays (idempotently) at most what
 * came after the last commit.
 */
final class IndexCommitStore implements StateStore {
  static final String NAME = "index-commit";

  private final VectorIndex index;
  private final DocumentRegistry registry;
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

  @Override
  public void flush() {
    index.commit();
    registry.commit();
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
