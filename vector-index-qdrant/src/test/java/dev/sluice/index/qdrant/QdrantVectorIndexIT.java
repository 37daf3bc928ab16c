package dev.sluice.index.qdrant;

import dev.sluice.index.VectorIndex;
import dev.sluice.index.VectorIndexContract;
import io.qdrant.client.QdrantClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/** The contract suite against a real Qdrant server in a container; skipped where Docker is absent. */
@Testcontainers(disabledWithoutDocker = true)
class QdrantVectorIndexIT extends VectorIndexContract {

  @Container static final QdrantContainer QDRANT = QdrantServer.container();
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  private static QdrantClient client;

  @BeforeAll
  static void connect() {
    client = QdrantServer.connect(QDRANT);
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  /** A collection name no earlier test used; created by the first upsert, as the contract expects. */
  @Override
  protected VectorIndex newIndex() {
    return QdrantVectorIndex.open(client, "contract-" + COLLECTIONS.incrementAndGet(), QdrantOptions.DEFAULTS);
  }

  /** Writes wait until applied, so they are searchable when they return. */
  @Override
  protected void awaitSearchable(VectorIndex index) {
    // Nothing to wait for.
  }
}
