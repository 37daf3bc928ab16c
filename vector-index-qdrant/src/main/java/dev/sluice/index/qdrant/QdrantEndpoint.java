package dev.sluice.index.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a Qdrant server listens (its gRPC port, 6334 by default) and how to authenticate.
 *
 * @param apiKey sent as the {@code api-key} header when present; use TLS with it
 */
public record QdrantEndpoint(String host, int port, boolean tls, Optional<String> apiKey) {

  public QdrantEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid Qdrant port " + port);
    }
    Objects.requireNonNull(apiKey, "apiKey");
  }

  /**
   * A new client; the caller closes it. Creating one does not connect: an unreachable server shows
   * as {@link dev.sluice.index.IndexUnavailableException} on the first call.
   */
  public QdrantClient connect(Duration timeout) {
    // The compatibility check would call the server here; a server that is down at start-up must not
    // fail construction, since callers retry their first request instead.
    QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, tls, false).withTimeout(timeout);
    apiKey.ifPresent(grpc::withApiKey);
    return new QdrantClient(grpc.build());
  }
}
