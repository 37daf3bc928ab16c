package dev.sluice.index.backend;

import dev.sluice.index.IndexUnavailableException;
import dev.sluice.index.backend.IndexBackendConfig.Qdrant;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.index.qdrant.QdrantOptions;
import dev.sluice.index.qdrant.QdrantStore;
import dev.sluice.runtime.FatalServiceException;
import java.util.List;

/**
 * Opens the index a service is configured for. Services depend on the {@code VectorIndex} and
 * {@code DocumentRegistry} contracts only; this is the one place that knows the adapters.
 *
 * <p>Start-up failures are {@link FatalServiceException}s with one line that names where the index
 * was looked for and why it could not be opened: a Qdrant that does not answer within {@code
 * qdrant.startup.timeout}, or a Lucene directory already held by another writer.
 */
public final class IndexBackends {

  private IndexBackends() {}

  /**
   * For the index-worker (and tools that write, such as purge): Lucene takes the directory's single
   * write lock; Qdrant may be written by any number of processes.
   */
  public static OpenIndex openForWriting(IndexBackendConfig config) {
    return switch (config.backend()) {
      case LUCENE -> {
        LuceneVectorIndex index;
        try {
          index = LuceneVectorIndex.openWritable(IndexLayout.points(config.indexDir()));
        } catch (IllegalStateException e) {
          throw new FatalServiceException(e.getMessage(), e);
        }
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(config.indexDir()));
        yield new OpenIndex(index, registry, config.describe(), List.of(index, registry));
      }
      case QDRANT -> openQdrant(config);
    };
  }

  /**
   * For a query-service in its own process: Lucene opens the writer's directory read-only (same
   * host, sees each commit); Qdrant is the same shared store the writers use.
   */
  public static OpenIndex openForReading(IndexBackendConfig config) {
    return switch (config.backend()) {
      case LUCENE -> {
        LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(IndexLayout.points(config.indexDir()));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(config.indexDir()));
        yield new OpenIndex(index, registry, config.describe(), List.of(index, registry));
      }
      case QDRANT -> openQdrant(config);
    };
  }

  private static OpenIndex openQdrant(IndexBackendConfig config) {
    Qdrant qdrant = config.qdrant().orElseThrow();
    QdrantOptions options = QdrantOptions.DEFAULTS.withTimeout(qdrant.timeout())
        .withSharding(qdrant.shards(), qdrant.replicationFactor());
    QdrantStore store;
    try {
      store = QdrantStore.connect(qdrant.url(), qdrant.apiKey(), options, qdrant.collection(), qdrant.startupTimeout());
    } catch (IndexUnavailableException e) {
      throw new FatalServiceException(e.getMessage(), e);
    }
    return new OpenIndex(store.index(), store.registry(), config.describe(), List.of(store.index(), store.registry(), store));
  }
}
