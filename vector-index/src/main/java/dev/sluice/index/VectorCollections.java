package dev.sluice.index;

import java.util.List;
import java.util.Optional;

/**
 * Collections and aliases of one vector store: what blue/green re-embedding needs. A new model gets
 * a new collection, which is filled by replaying the documents topic and then made live by pointing
 * an alias at it in one atomic step. Thread-safe.
 */
public interface VectorCollections {

  /**
   * Creates a collection for {@code spec}'s model, dimension and metric. Idempotent: creating a
   * collection that already exists with the same spec does nothing.
   *
   * @throws IllegalStateException if a collection of that name exists with another spec
   */
  void create(CollectionSpec spec);

  /** The spec of a collection, or of the collection an alias points at; empty when unknown. */
  Optional<CollectionSpec> describe(String nameOrAlias);

  /** Names of every collection, sorted. */
  List<String> list();

  /**
   * Points {@code alias} at {@code collection}, atomically replacing where it pointed before:
   * readers resolving the alias see either the old or the new target, never neither. Idempotent.
   *
   * @throws IllegalArgumentException if the collection does not exist
   */
  void pointAlias(String alias, String collection);

  /** The collection an alias points at, if the alias exists. */
  Optional<String> resolveAlias(String alias);

  /**
   * Removes a collection and its points. Idempotent.
   *
   * @throws IllegalStateException if an alias still points at it
   */
  void drop(String collection);
}
