package dev.sluice.index.qdrant;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.qdrant.QdrantCalls.CollectionNotFoundException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link DocumentRegistry} kept in Qdrant itself, in the collection {@code
 * <collection>-documents} beside the points: one payload-only point per document (id: a name-based
 * UUID of tenant and docId; payload: every {@link DocumentStatus} field), with keyword indexes on
 * {@code tenant} and {@code state}.
 *
 * <p>Why in Qdrant rather than on local disk: any number of index-workers and query-services share
 * it with no shared disk; every query-service answers a status request the same, whichever instance
 * gets it; and the index-worker's version swap reads it from the shared backend, so any instance can
 * apply any document's manifest (after a rebalance, another instance's documents).
 *
 * <p>The collection is created, idempotently, on the first write (with the shard number and
 * replication factor of {@link QdrantOptions}); until then reads find nothing. Every write waits
 * until Qdrant applied it ({@code wait=true}), so it is durable and visible to every instance when
 * {@link #put} returns: {@link #commit} has nothing to do. Thread-safe. Does not own the client:
 * closing the registry leaves it open.
 */
public final class QdrantDocumentRegistry implements DocumentRegistry {

  /** What the registry's collection name adds to the points collection (or alias) name. */
  public static final String SUFFIX = "-documents";

  private final QdrantClient client;
  private final String collection;
  private final QdrantOptions options;
  private final QdrantCalls calls;
  private volatile boolean created;

  private QdrantDocumentRegistry(QdrantClient client, String collection, QdrantOptions options) {
    this.client = Objects.requireNonNull(client, "client");
    this.collection = collection;
    this.options = Objects.requireNonNull(options, "options");
    this.calls = new QdrantCalls(options.timeout());
  }

  /**
   * The registry of the points collection (or alias) {@code collection}: stored in {@code
   * collection + "-documents"}, which may not exist yet.
   */
  public static QdrantDocumentRegistry open(QdrantClient client, String collection, QdrantOptions options) {
    return new QdrantDocumentRegistry(client, collectionFor(collection), options);
  }

  /** The name of the registry collection beside the points collection (or alias) {@code collection}. */
  public static String collectionFor(String collection) {
    if (collection == null || collection.isBlank()) {
      throw new IllegalArgumentException("a Qdrant collection name is required");
    }
    return collection + SUFFIX;
  }

  /** The registry's own collection. */
  public String collection() {
    return collection;
  }

  @Override
  public void put(DocumentStatus status) {
    ensureCollection();
    calls.await(client.upsertAsync(RegistryRequests.put(collection, status), options.timeout()),
        "record the status of document " + status.docId());
  }

  @Override
  public Optional<DocumentStatus> get(String tenant, String docId) {
    List<RetrievedPoint> found;
    try {
      found = calls.await(client.retrieveAsync(RegistryRequests.get(collection, tenant, docId), options.timeout()),
          "read the status of document " + docId);
    } catch (CollectionNotFoundException notYet) {
      return Optional.empty();
    }
    // The id is a hash of (tenant, docId): the stored status is checked to be that document's.
    return found.stream().map(p -> StatusPayloads.fromValues(p.getPayloadMap()))
        .filter(s -> s.tenant().equals(tenant) && s.docId().equals(docId))
        .findFirst();
  }

  /** Every state is present, zero when no document is in it: one exact count request per state. */
  @Override
  public Map<DocumentStatus.State, Long> countByState() {
    return countWhere(Optional.empty());
  }

  @Override
  public Map<DocumentStatus.State, Long> countByState(String tenant) {
    return countWhere(Optional.of(tenant));
  }

  private Map<DocumentStatus.State, Long> countWhere(Optional<String> tenant) {
    Map<DocumentStatus.State, Long> counts = new EnumMap<>(DocumentStatus.State.class);
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      long count;
      try {
        count = calls.await(client.countAsync(collection, RegistryRequests.inState(state, tenant), true, options.timeout()),
            "count " + state + " documents");
      } catch (CollectionNotFoundException notYet) {
        count = 0;
      }
      counts.put(state, count);
    }
    return Map.copyOf(counts);
  }

  /** Nothing to do: every write waited until Qdrant applied it to its write-ahead log. */
  @Override
  public void commit() {
    // Durable already.
  }

  /** Leaves the client open: its owner closes it. */
  @Override
  public void close() {
    // The client is shared.
  }

  // Serialised so that concurrent first writes create the collection once; cheap afterwards.
  private void ensureCollection() {
    if (created) {
      return;
    }
    synchronized (this) {
      if (created) {
        return;
      }
      if (!exists()) {
        try {
          calls.await(client.createCollectionAsync(CollectionRequests.createRegistry(collection, options), options.timeout()),
              "create collection " + collection);
        } catch (IllegalArgumentException raced) {
          // Another instance created it first (ALREADY_EXISTS): fine, as long as it exists now.
          if (!exists()) {
            throw raced;
          }
        }
      }
      // Creating an index that exists is a no-op in Qdrant, so a bootstrap interrupted half-way completes.
      CollectionRequests.registryIndexes(collection).forEach(index ->
          calls.await(client.createPayloadIndexAsync(index, options.timeout()), "index payload field " + index.getFieldName()));
      created = true;
    }
  }

  private boolean exists() {
    return calls.await(client.collectionExistsAsync(collection, options.timeout()), "look up collection " + collection);
  }
}
