package dev.sluice.index.qdrant;

import io.qdrant.client.QdrantClient;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.qdrant.QdrantContainer;

/** The Qdrant image the integration tests run (Docker only), and a client for it. */
final class QdrantServer {

  /** Qdrant 1.16 is the first with conditional updates and collection metadata; override with -Dsluice.qdrant.image. */
  static final String IMAGE = System.getProperty("sluice.qdrant.image", "qdrant/qdrant:v1.16.0");

  private QdrantServer() {}

  static QdrantContainer container() {
    return new QdrantContainer(IMAGE);
  }

  static QdrantClient connect(QdrantContainer container) {
    return new QdrantEndpoint(container.getHost(), container.getGrpcPort(), false, Optional.empty())
        .connect(Duration.ofSeconds(30));
  }
}
