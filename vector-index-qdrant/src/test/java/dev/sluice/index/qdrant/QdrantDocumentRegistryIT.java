package dev.sluice.index.qdrant;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentRegistryContract;
import dev.sluice.index.RequiresDocker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The registry contract against a real Qdrant server in a container. Each (re)open is a new
 * connection, as a restarted service's would be, to the registry of a collection no earlier test
 * used. Needs Docker (skipped without, failed with -Dsluice.require-docker=true).
 */
@RequiresDocker
@Testcontainers
class QdrantDocumentRegistryIT extends DocumentRegistryContract {

  @Container static final QdrantContainer QDRANT = QdrantServer.container();
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();

  // A new test instance per test: one collection per test, the same one across its reopens.
  private final String collection = "registry-" + COLLECTIONS.incrementAndGet();
  private final List<QdrantStore> stores = new ArrayList<>();

  @Override
  protected DocumentRegistry open() {
    QdrantStore store = QdrantServer.store(QDRANT, collection);
    stores.add(store);
    return store.registry();
  }

  @AfterEach
  void closeStores() {
    stores.forEach(QdrantStore::close);
  }
}
