package dev.sluice.index.qdrant;

import dev.sluice.index.RequiresDocker;
import dev.sluice.index.VectorCollections;
import dev.sluice.index.VectorCollectionsContract;
import dev.sluice.index.VectorIndex;
import io.qdrant.client.QdrantClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * Collections and aliases on a real Qdrant server in a container. Needs Docker (skipped without,
 * failed with -Dsluice.require-docker=true).
 */
@RequiresDocker
@Testcontainers
class QdrantCollectionsIT extends VectorCollectionsContract {

  @Container static final QdrantContainer QDRANT = QdrantServer.container();
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

  /** Each test starts from an empty server: the contract reuses collection and alias names. */
  @BeforeEach
  void wipe() throws Exception {
    for (var alias : client.listAliasesAsync().get(30, TimeUnit.SECONDS)) {
      client.deleteAliasAsync(alias.getAliasName()).get(30, TimeUnit.SECONDS);
    }
    for (String collection : client.listCollectionsAsync().get(30, TimeUnit.SECONDS)) {
      client.deleteCollectionAsync(collection, Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  protected VectorCollections collections() {
    return new QdrantCollections(client, QdrantOptions.DEFAULTS);
  }

  @Override
  protected VectorIndex open(String nameOrAlias) {
    return QdrantVectorIndex.open(client, nameOrAlias, QdrantOptions.DEFAULTS);
  }
}
