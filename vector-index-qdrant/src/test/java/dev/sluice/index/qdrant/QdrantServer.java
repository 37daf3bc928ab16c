package dev.sluice.index.qdrant;

import io.qdrant.client.QdrantClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.qdrant.QdrantContainer;

/** The Qdrant image the integration tests run (Docker only), and clients for it. */
final class QdrantServer {

  /** Qdrant 1.16 is the first with conditional updates and collection metadata; override with -Dsluice.qdrant.image. */
  static final String IMAGE = System.getProperty("sluice.qdrant.image", "qdrant/qdrant:v1.16.0");

  /** Generous: the first request of a test run may wait for the container's JIT and disk. */
  static final Duration STARTUP = Duration.ofSeconds(30);

  private QdrantServer() {}

  static QdrantContainer container() {
    return new QdrantContainer(IMAGE);
  }

  /** The container's gRPC endpoint as services are configured with it. */
  static URI url(QdrantContainer container) {
    return URI.create("http://" + container.getHost() + ":" + container.getGrpcPort());
  }

  /** A store over {@code collection}, connected the way services connect; the caller closes it. */
  static QdrantStore store(QdrantContainer container, String collection) {
    return QdrantStore.connect(url(container), Optional.empty(), QdrantOptions.DEFAULTS, collection, STARTUP);
  }

  /** A bare client, for tests that manage collections themselves; the caller closes it. */
  static QdrantClient connect(QdrantContainer container) {
    return QdrantEndpoint.of(url(container), Optional.empty()).connect(STARTUP);
  }
}
