package dev.sluice.index.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a Qdrant server listens (its gRPC port, 6334 by default) and how to authenticate.
 *
 * @param apiKey sent as the {@code api-key} header when present; use TLS with it
 */
public record QdrantEndpoint(String host, int port, boolean tls, Optional<String> apiKey) {

  /** The gRPC port Qdrant listens on unless configured otherwise. */
  public static final int DEFAULT_GRPC_PORT = 6334;

  public QdrantEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid Qdrant port " + port);
    }
    Objects.requireNonNull(apiKey, "apiKey");
  }

  /**
   * The endpoint a URL names: {@code http://host[:port]} in plain text or {@code https://host[:port]}
   * over TLS, port 6334 (Qdrant's gRPC port) when absent.
   *
   * @throws IllegalArgumentException naming the url, for another scheme or no host
   */
  public static QdrantEndpoint of(URI url, Optional<String> apiKey) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Qdrant url " + url + " must be http://host:port or https://host:port (TLS)");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("Qdrant url " + url + " names no host: write it as http://host:port");
    }
    int port = url.getPort() == -1 ? DEFAULT_GRPC_PORT : url.getPort();
    return new QdrantEndpoint(url.getHost(), port, scheme.equals("https"), apiKey);
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
