package dev.sluice.index;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The vector index port: points (one per chunk) with a vector and a payload, searched within one
 * tenant. Implementations: Lucene HNSW (embedded default). All methods are thread-safe.
 *
 * <p>Writes become visible to {@link #search} within about a second and durable at {@link #commit}.
 * Every write is idempotent: replaying it leaves the index unchanged.
 */
public interface VectorIndex extends AutoCloseable {

  /** Inserts or replaces points by id. Idempotent. */
  void upsert(List<IndexPoint> points);

  /** Ids of a document's points (deleted or not). */
  Set<String> pointIds(String tenant, String docId);

  /** Hard-deletes points by id; unknown ids are ignored. Idempotent. */
  void deletePoints(String tenant, Collection<String> pointIds);

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
