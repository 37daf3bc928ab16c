package dev.sluice.indexer;

import dev.sluice.index.DocumentVersions;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.VectorIndex;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The worker's view of the index: every call goes through {@link ResilientCalls}, so a transient
 * failure blocks (pausing consumption) instead of failing the record. Permanent failures pass
 * through. Closing does not close the underlying index, which its owner closes.
 */
final class GuardedIndex implements VectorIndex {
  private final VectorIndex index;
  private final ResilientCalls calls;

  GuardedIndex(VectorIndex index, ResilientCalls calls) {
    this.index = index;
    this.calls = calls;
  }

  @Override
  public void validate(IndexPoint point) {
    calls.run(() -> index.validate(point));
  }

  @Override
  public void upsert(List<IndexPoint> points) {
    calls.run(() -> index.upsert(points));
  }

  @Override
  public void setPayload(String tenant, Map<String, PointPayload> payloads) {
    calls.run(() -> index.setPayload(tenant, payloads));
  }

  @Override
  public long count(String tenant) {
    return calls.call(() -> index.count(tenant));
  }

  @Override
  public void publish(String tenant, Map<String, PointPayload> visible, Collection<String> retired) {
    calls.run(() -> index.publish(tenant, visible, retired));
  }

  @Override
  public Set<String> pointIds(String tenant, String docId) {
    return calls.call(() -> index.pointIds(tenant, docId));
  }

  @Override
  public List<PointPayload> documentPoints(String tenant, String docId) {
    return calls.call(() -> index.documentPoints(tenant, docId));
  }

  @Override
  public List<DocumentVersions> documentVersions(String tenant) {
    return calls.call(() -> index.documentVersions(tenant));
  }

  @Override
  public void deletePoints(String tenant, Collection<String> pointIds) {
    calls.run(() -> index.deletePoints(tenant, pointIds));
  }

  @Override
  public long markDeleted(String tenant, String docId, Instant deletedAt) {
    return calls.call(() -> index.markDeleted(tenant, docId, deletedAt));
  }

  @Override
  public long undelete(String tenant, String docId) {
    return calls.call(() -> index.undelete(tenant, docId));
  }

  @Override
  public long purgeDeleted(Instant deletedBefore) {
    return calls.call(() -> index.purgeDeleted(deletedBefore));
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    return calls.call(() -> index.search(request));
  }

  @Override
  public long count() {
    return calls.call(index::count);
  }

  @Override
  public Optional<String> modelId() {
    return calls.call(index::modelId);
  }

  @Override
  public OptionalInt dimension() {
    return calls.call(index::dimension);
  }

  @Override
  public void commit() {
    calls.run(index::commit);
  }

  @Override
  public void close() {
    // The owner closes the index.
  }
}
