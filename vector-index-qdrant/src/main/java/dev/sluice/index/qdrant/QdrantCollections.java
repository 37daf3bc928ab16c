package dev.sluice.index.qdrant;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.VectorCollections;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import java.util.List;
import java.util.Optional;

/**
 * Collections and aliases on a Qdrant server. A collection's identity (model, dimension, metric) is
 * in its metadata; an alias moves with one atomic {@code update_aliases} request, so readers
 * resolving it see the old or the new collection, never neither. Thread-safe.
 */
public final class QdrantCollections implements VectorCollections {

  private final QdrantClient client;
  private final QdrantOptions options;
  private final QdrantCalls calls;

  public QdrantCollections(QdrantClient client, QdrantOptions options) {
    this.client = client;
    this.options = options;
    this.calls = new QdrantCalls(options.timeout());
  }

  @Override
  public void create(CollectionSpec spec) {
    Optional<CollectionSpec> existing = read(spec.name());
    if (existing.isEmpty()) {
      try {
        calls.await(client.createCollectionAsync(CollectionRequests.create(spec, options), options.timeout()),
            "create collection " + spec.name());
      } catch (IllegalArgumentException raced) {
        // Created concurrently (ALREADY_EXISTS / "already exists"): compare below like any existing one.
        existing = read(spec.name());
        if (existing.isEmpty()) {
          throw raced;
        }
      }
    }
    if (existing.isPresent() && !existing.get().equals(spec)) {
      throw new IllegalStateException("collection '" + spec.name() + "' exists as " + existing.get()
          + "; a collection's model, dimension and metric never change (create a new collection)");
    }
    // Creating an index that exists is a no-op in Qdrant, so a retried bootstrap completes them all.
    for (CreateFieldIndexCollection index : CollectionRequests.payloadIndexes(spec.name())) {
      calls.await(client.createPayloadIndexAsync(index, options.timeout()), "index payload field " + index.getFieldName());
    }
  }

  @Override
  public Optional<CollectionSpec> describe(String nameOrAlias) {
    return read(resolveAlias(nameOrAlias).orElse(nameOrAlias));
  }

  @Override
  public List<String> list() {
    return calls.await(client.listCollectionsAsync(options.timeout()), "list collections").stream().sorted().toList();
  }

  @Override
  public void pointAlias(String alias, String collection) {
    CollectionSpec.requireValidName(alias);
    if (!list().contains(collection)) {
      throw new IllegalArgumentException("no collection '" + collection + "' in Qdrant");
    }
    Optional<String> current = resolveAlias(alias);
    if (current.filter(collection::equals).isPresent()) {
      return;
    }
    calls.await(client.updateAliasesAsync(CollectionRequests.pointAlias(alias, collection, current), options.timeout()),
        "point alias " + alias + " at " + collection);
  }

  @Override
  public Optional<String> resolveAlias(String alias) {
    return aliases().stream().filter(a -> a.getAliasName().equals(alias)).map(AliasDescription::getCollectionName).findFirst();
  }

  @Override
  public void drop(String collection) {
    aliases().stream().filter(a -> a.getCollectionName().equals(collection)).findFirst().ifPresent(a -> {
      throw new IllegalStateException("alias '" + a.getAliasName() + "' points at collection '" + collection + "'; move it first");
    });
    if (list().contains(collection)) {
      calls.await(client.deleteCollectionAsync(collection, options.timeout()), "drop collection " + collection);
    }
  }

  private List<AliasDescription> aliases() {
    return calls.await(client.listAliasesAsync(options.timeout()), "list aliases");
  }

  private Optional<CollectionSpec> read(String name) {
    if (!calls.await(client.collectionExistsAsync(name, options.timeout()), "look up collection " + name)) {
      return Optional.empty();
    }
    CollectionInfo info = calls.await(client.getCollectionInfoAsync(name, options.timeout()), "describe collection " + name);
    return CollectionRequests.spec(name, info);
  }
}
