package dev.sluice.indexer;

import dev.sluice.index.DocumentVersions;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real index behind a fault injector: the next {@link #failNextWrites} writes throw the I/O error
 * an unavailable disk or server would, then writes reach the real index again.
 */
final class FlakyIndex implements VectorIndex {
  private final VectorIndex index;
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  FlakyIndex(VectorIndex index) {
    this.index = index;
  }

  void failNextWrites(int count) {
    failures.set(count);
  }

  int failed() {
    return failed.get();
  }

  private void maybeFail() {
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      failed.incrementAndGet();
      throw new UncheckedIOException("injected", new IOException("the index is unavailable (injected)"));
    }
  }

  @Override public void validate(IndexPoint point) { index.validate(point); }
  @Override public void upsert(List<IndexPoint> points) { maybeFail(); index.upsert(points); }
  @Override public void setPayload(String tenant, Map<String, PointPayload> payloads) { maybeFail(); index.setPayload(tenant, payloads); }
  @Override public long count(String tenant) { return index.count(tenant); }
  @Override public void publish(String tenant, Map<String, PointPayload> visible, Collection<String> retired) { maybeFail(); index.publish(tenant, visible, retired); }
  @Override public Set<String> pointIds(String tenant, String docId) { return index.pointIds(tenant, docId); }
  @Override public List<PointPayload> documentPoints(String tenant, String docId) { return index.documentPoints(tenant, docId); }
  @Override public List<DocumentVersions> documentVersions(String tenant) { return index.documentVersions(tenant); }
  @Override public void deletePoints(String tenant, Collection<String> ids) { maybeFail(); index.deletePoints(tenant, ids); }
  @Override public long markDeleted(String tenant, String docId, Instant at) { maybeFail(); return index.markDeleted(tenant, docId, at); }
  @Override public long undelete(String tenant, String docId) { maybeFail(); return index.undelete(tenant, docId); }
  @Override public long purgeDeleted(Instant before) { maybeFail(); return index.purgeDeleted(before); }
  @Override public List<SearchHit> search(SearchRequest request) { return index.search(request); }
  @Override public long count() { return index.count(); }
  @Override public Optional<String> modelId() { return index.modelId(); }
  @Override public OptionalInt dimension() { return index.dimension(); }
  @Override public void commit() { maybeFail(); index.commit(); }
  @Override public void close() { index.close(); }
}
