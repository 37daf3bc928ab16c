package dev.sluice.index.qdrant;

import dev.sluice.index.RequiresDocker;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.VectorIndexContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The contract suite against a real Qdrant server in a container, opened through {@link
 * QdrantStore} as services open it. Needs Docker (skipped without, failed with
 * -Dsluice.require-docker=true).
 */
@RequiresDocker
@Testcontainers
class QdrantVectorIndexIT extends VectorIndexContract {

  @Container static final QdrantContainer QDRANT = QdrantServer.container();
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  private QdrantStore store;

  /** A collection name no earlier test used; created by the first upsert, as the contract expects. */
  @Override
  protected VectorIndex newIndex() {
    store = QdrantServer.store(QDRANT, "contract-" + COLLECTIONS.incrementAndGet());
    return store.index();
  }

  /** Writes wait until applied, so they are searchable when they return. */
  @Override
  protected void awaitSearchable(VectorIndex index) {
    // Nothing to wait for.
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }
}
