package dev.sluice.index.qdrant;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.IndexUnavailableException;
import dev.sluice.index.VectorCollections;
import dev.sluice.index.VectorIndex;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection to one Qdrant server (or cluster) with Sluice's view of it: the {@link VectorIndex}
 * over one collection (or alias), the {@link DocumentRegistry} beside it in {@code
 * <collection>-documents}, and the {@link VectorCollections} of the server. The entry point for
 * services: {@link #connect} fails fast, with one line naming the URL, when the server does not
 * answer at start-up. Owns its client: {@link #close} closes it, and with it every view (theirs
 * {@code close} is a no-op). Thread-safe.
 */
public final class QdrantStore implements AutoCloseable {

  /** The first server with conditional updates (the version guards) and collection metadata. */
  static final int MIN_MAJOR = 1;
  static final int MIN_MINOR = 16;

  private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)");

  // Netty's native transport prefixes the OS error with the failed call, e.g. "finishConnect(..)
  // failed with error(-111): Connection refused": only the OS error helps whoever reads the line.
  private static final Pattern NATIVE_CALL = Pattern.compile("^\\S+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

  private final String url;
  private final QdrantClient client;
  private final QdrantVectorIndex index;
  private final QdrantDocumentRegistry registry;
  private final QdrantCollections collections;
  private final AtomicBoolean closed = new AtomicBoolean();

  private QdrantStore(String url, QdrantClient client, QdrantOptions options, String collection) {
    this.url = url;
    this.client = client;
    this.index = QdrantVectorIndex.open(client, collection, options);
    this.registry = QdrantDocumentRegistry.open(client, collection, options);
    this.collections = new QdrantCollections(client, options);
  }

  /**
   * Connects to the Qdrant server at {@code url} and checks that it answers.
   *
   * @param url {@code http://host[:port]}, or {@code https://host[:port]} for TLS; the port is
   *     Qdrant's gRPC port, 6334 when absent
   * @param apiKey sent with every request when present (use it with https)
   * @param options timeouts and the shape of the collections Sluice creates
   * @param collection the points collection or alias that {@link #index()} reads and writes; it may
   *     not exist yet
   * @param startupDeadline how long to wait for the server's first answer
   * @throws IllegalArgumentException naming the url, if it is not http(s)://host[:port], or if
   *     {@code collection} is not a valid collection name
   * @throws IndexUnavailableException with a one-line message naming the url and the cause, if the
   *     server does not answer within {@code startupDeadline}
   * @throws IllegalStateException if the server is older than Qdrant 1.16, whose version guards
   *     Sluice needs
   */
  public static QdrantStore connect(URI url, Optional<String> apiKey, QdrantOptions options, String collection,
      Duration startupDeadline) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(startupDeadline, "startupDeadline");
    CollectionSpec.requireValidName(collection);
    QdrantEndpoint endpoint = QdrantEndpoint.of(url, apiKey);
    QdrantClient client = endpoint.connect(options.timeout());
    try {
      String version = awaitHealth(client, url, startupDeadline);
      requireSupported(version, url);
      return new QdrantStore(url.toString(), client, options, collection);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The vector index over the collection (or alias) this store was connected for. */
  public VectorIndex index() {
    return index;
  }

  /** The document registry, in {@code <collection>-documents}. */
  public DocumentRegistry registry() {
    return registry;
  }

  /** Collections and aliases of the server (blue/green re-embedding). */
  public VectorCollections collections() {
    return collections;
  }

  /** The URL this store connected to, as given (it holds no credentials: the API key is separate). */
  public String url() {
    return url;
  }

  /** Closes the client. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "QdrantStore[" + url + "]";
  }

  /** The server's version, once it answered a health check within {@code deadline}. */
  private static String awaitHealth(QdrantClient client, URI url, Duration deadline) {
    Future<HealthCheckReply> health = client.healthCheckAsync(deadline);
    try {
      return health.get(deadline.toMillis(), TimeUnit.MILLISECONDS).getVersion();
    } catch (TimeoutException e) {
      health.cancel(true);
      throw unreachable(url, "no answer within " + deadline, e);
    } catch (InterruptedException e) {
      health.cancel(true);
      Thread.currentThread().interrupt();
      throw unreachable(url, "interrupted while waiting for its answer", e);
    } catch (ExecutionException e) {
      throw unreachable(url, describe(e.getCause()), e.getCause());
    }
  }

  static IndexUnavailableException unreachable(URI url, String cause, Throwable failure) {
    return new IndexUnavailableException("Qdrant at " + url + " is unreachable: " + cause, failure);
  }

  /** One line: the gRPC status and its description, and the root cause's message when it adds one. */
  static String describe(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    StringBuilder line = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      line.append(": ").append(status.getDescription());
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage();
    if (root != failure && reason != null && !reason.isBlank()) {
      line.append(" (").append(NATIVE_CALL.matcher(reason.strip()).replaceFirst("")).append(')');
    }
    return line.toString().replaceAll("\\s+", " ");
  }

  /**
   * Refuses a server older than 1.16: it would ignore the update filters that keep an older version
   * from replacing a newer point, silently. An unparsable version (a development build) is let through.
   */
  static void requireSupported(String version, URI url) {
    Matcher m = VERSION.matcher(version == null ? "" : version.strip());
    if (!m.find()) {
      return;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR)) {
      throw new IllegalStateException("Qdrant at " + url + " is version " + version + "; Sluice needs Qdrant "
          + MIN_MAJOR + "." + MIN_MINOR + " or later (conditional updates)");
    }
  }
}
