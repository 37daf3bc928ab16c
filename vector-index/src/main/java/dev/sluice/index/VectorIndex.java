package dev.sluice.index;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The vector index port: points (one per chunk) with a vector and a payload, searched within one
 * tenant. Implementations: Lucene HNSW (embedded default). All methods are thread-safe.
 *
 * <p>Writes become visible to {@link #search} within about a second and durable at {@link #commit}.
 * {@link #pointIds}, {@link #documentPoints} and {@link #count} on the writing instance reflect
 * every write completed before the call (read-your-writes), because stale-chunk retirement is
 * computed from them. Every write is idempotent: replaying it leaves the index unchanged.
 */
public interface VectorIndex extends AutoCloseable {

  /**
   * Inserts or replaces points by id. Idempotent. Upserting a point with {@code deleted=false}
   * restores a soft-deleted one.
   *
   * @throws IllegalArgumentException if a point's {@code modelId} differs from {@link #modelId()}
   *     (a mixed-model index is refused) or its vector does not fit the index; nothing of the batch
   *     is written when the model check fails
   */
  void upsert(List<IndexPoint> points);

  /** Ids of a document's points (deleted or not). */
  Set<String> pointIds(String tenant, String docId);

  /** Hard-deletes points by id; unknown ids are ignored. Idempotent. */
  void deletePoints(String tenant, Collection<String> pointIds);

  /**
   * Soft-deletes a document: its live points get {@code deleted=true, deletedAt=deletedAt} and keep
   * their vectors, so search stops returning them and a later upsert restores them without
   * re-embedding. Points already deleted keep their first {@code deletedAt}, so replaying the delete
   * changes nothing. Idempotent.
   *
   * @return the number of points newly marked deleted
   */
  long markDeleted(String tenant, String docId, Instant deletedAt);

  /**
   * Hard-deletes every point soft-deleted strictly before {@code deletedBefore} (the retention
   * purge), all tenants. Idempotent.
   *
   * @return the number of points removed
   */
  long purgeDeleted(Instant deletedBefore);

  /**
   * Top matches for a query, scoped to {@code request.scope()} (tenant and ACL groups are applied
   * here, so no caller can forget them), never returning deleted points.
   */
  List<SearchHit> search(SearchRequest request);

  /** A document's points, ordered by ordinal. */
  List<PointPayload> documentPoints(String tenant, String docId);

  /** Number of live (not deleted) points, all tenants. */
  long count();

  /** The model id of the vectors this index holds, once any were written. */
  Optional<String> modelId();

  /** Makes every write so far durable (survives a crash of the process). */
  void commit();

  @Override
  void close();
}
