package dev.sluice.index;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The vector index port: one collection of points (one per chunk) with a vector and a payload,
 * searched within one tenant. Implementations: Lucene HNSW (embedded default, module {@code
 * vector-index-lucene}) and Qdrant (production, module {@code vector-index-qdrant}). Every method is thread-safe.
 *
 * <p><b>Visibility.</b> Writes become visible to {@link #search} within about a second and durable
 * at {@link #commit} (an adapter whose writes are durable when acknowledged, like Qdrant with {@code
 * wait}, commits as a no-op). {@link #pointIds}, {@link #documentPoints}, {@link #documentVersions}
 * and {@link #count} on the writing instance reflect every write completed before the call
 * (read-your-writes), because stale-chunk retirement is computed from them.
 *
 * <p><b>Idempotency.</b> Every write is idempotent: applying it again leaves the index as the first
 * application did, so replaying a topic after a crash is harmless.
 *
 * <p><b>Versions.</b> Writes that carry a payload are <em>monotonic in {@code docVersion}</em>: a
 * point is never replaced by a payload of an older document version, so a late or replayed chunk of
 * version 1 cannot overwrite the same chunk already written by version 2.
 *
 * <p><b>One version at a time.</b> A document version's new points are upserted {@linkplain
 * PointPayload#staged staged}: stored, but hidden from {@link #search} and {@link #count}. When the
 * version is complete, {@link #publish} makes its points visible and removes the points it no longer
 * has in one step, so a search returns chunks of the previous version or of the new one, never of
 * both. A version that never completes stays hidden, and is removed when a newer version is
 * published or by {@link #purgeDeleted}. What "one step" means per adapter is documented on {@link
 * #publish}.
 *
 * <p><b>Tenancy.</b> Every read and write names its tenant and touches only that tenant's points,
 * except the index-wide {@link #count} and {@link #purgeDeleted}.
 */
public interface VectorIndex extends AutoCloseable {

  /** Largest payload a point may carry, in UTF-8 bytes of its strings; larger ones are refused. */
  int MAX_PAYLOAD_BYTES = 256 * 1024;

  /**
   * Checks that {@code point} would be accepted by {@link #upsert}, without writing anything: right
   * model and dimension, finite vector, complete payload, payload under {@link #MAX_PAYLOAD_BYTES}.
   * Lets a caller dead-letter a bad record before batching it with good ones. Reads only.
   *
   * @throws PointRejectedException naming the reason (a permanent failure: retrying cannot help)
   */
  void validate(IndexPoint point);

  /**
   * Inserts points, or replaces existing ones by id unless the stored point has a newer {@code
   * docVersion} (then that point is left as it is). A {@linkplain PointPayload#staged staged} point
   * never replaces a {@linkplain PointPayload#visible visible} one either: a visible point with the
   * same id has the same text and vector (ids are derived from content), and it moves to the new
   * version when that version is {@linkplain #publish published}. Upserting a point with {@code
   * deleted=false} restores a soft-deleted one. Idempotent.
   *
   * @throws PointRejectedException if any point fails {@link #validate} (in particular a point of
   *     another model than {@link #modelId()}: a mixed-model index is refused); nothing of the batch
   *     is written then
   */
  void upsert(List<IndexPoint> points);

  /**
   * Replaces the payload of existing points, keeping their vectors (a metadata-only change, or a
   * restore at a new version without re-embedding). Keyed by point id; ids that do not exist in
   * {@code tenant} are ignored, and so is a payload older ({@code docVersion}) than the stored one.
   * A payload cannot move a point: its tenant, docId, chunkId and modelId must stay. Idempotent.
   *
   * @throws PointRejectedException if a payload is incomplete, too large, or would move its point
   */
  void setPayload(String tenant, Map<String, PointPayload> payloads);

  /**
   * Makes one document version visible, in one step for readers: writes {@code visible} (payloads
   * with {@code staged=false, deleted=false}) onto existing points of {@code tenant}, keeping their
   * vectors, and hard-deletes the points {@code retired}. The same rules as {@link #setPayload}
   * apply to each payload (unknown ids and payloads older than the stored one are skipped).
   * Idempotent.
   *
   * <p>The step each adapter guarantees: Lucene applies it atomically for searches (no searcher
   * is opened between its writes, and no commit falls between them, so a crash leaves either all of
   * it or none); Qdrant has no multi-point transaction, so it sends one batch request that writes the
   * payloads first and deletes second: for the duration of that one request a search may see
   * chunks of both versions, never of neither, and a crash inside it is repaired by replaying the
   * manifest.
   *
   * @throws PointRejectedException if a payload is incomplete, too large, still staged or deleted,
   *     or would move its point; nothing is written then
   */
  void publish(String tenant, Map<String, PointPayload> visible, Collection<String> retired);

  /** Ids of a document's points, deleted or not. Read-your-writes. */
  Set<String> pointIds(String tenant, String docId);

  /** A document's points, deleted or staged or not, ordered by ordinal. Read-your-writes. */
  List<PointPayload> documentPoints(String tenant, String docId);

  /**
   * Every document of {@code tenant} that has points, with the versions its points carry: what
   * reconciliation needs to find version mixes and orphans. Ordered by docId. Read-your-writes.
   */
  List<DocumentVersions> documentVersions(String tenant);

  /** Hard-deletes points by id within {@code tenant}; unknown ids are ignored. Idempotent. */
  void deletePoints(String tenant, Collection<String> pointIds);

  /**
   * Soft-deletes a document: its live points get {@code deleted=true, deletedAt=deletedAt} and keep
   * their vectors, so search stops returning them and a later upsert or {@link #undelete} restores
   * them without re-embedding. Points already deleted keep their first {@code deletedAt}, so
   * replaying the delete changes nothing. Idempotent.
   *
   * @return the number of points newly marked deleted
   */
  long markDeleted(String tenant, String docId, Instant deletedAt);

  /**
   * Restores a soft-deleted document as it was: its deleted points become live again, {@code
   * deletedAt} cleared, payload otherwise unchanged. Idempotent.
   *
   * @return the number of points restored
   */
  long undelete(String tenant, String docId);

  /**
   * Hard-deletes every point soft-deleted strictly before {@code deletedBefore} (the retention
   * purge), and every point still staged that was written ({@code indexedAt}) before it: the
   * leftovers of a version that never completed. All tenants. Visible points, and points deleted or
   * staged at or after the cutoff, stay. Idempotent.
   *
   * @return the number of points removed
   */
  long purgeDeleted(Instant deletedBefore);

  /**
   * Top matches for a query, scoped to {@code request.scope()}: the tenant filter and the ACL filter
   * are applied here, inside the adapter, whatever else the request says, so no caller can forget
   * them. Never returns deleted or staged points. Reads only.
   */
  List<SearchHit> search(SearchRequest request);

  /** Number of visible (neither deleted nor staged) points, all tenants. Read-your-writes on the writing instance. */
  long count();

  /** Number of visible points of one tenant. Read-your-writes on the writing instance. */
  long count(String tenant);

  /** The model id of the vectors this collection holds, once fixed (at creation or first write). */
  Optional<String> modelId();

  /** The dimension of this collection's vectors, once fixed (at creation or first write). */
  OptionalInt dimension();

  /** Makes every write so far durable (survives a crash of the process). Idempotent. */
  void commit();

  /** Commits (when writable) and releases resources. Idempotent. */
  @Override
  void close();
}
