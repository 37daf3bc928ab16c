package dev.sluice.index.qdrant;

import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.CollectionSpec.Metric;
import dev.sluice.index.DocumentVersions;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointChecks;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.VectorIndex;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.BatchResult;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The production {@link VectorIndex}: one Qdrant collection (or alias) with a named dense vector, a
 * sparse BM25 keyword vector and the payload; see {@link CollectionRequests} for its layout.
 *
 * <p>Every write waits until Qdrant has applied it ({@code wait=true}), so it is durable (Qdrant's
 * WAL) and visible to search when the call returns: {@link #commit} has nothing left to do. The
 * docVersion guard, and the rule that a staged point never replaces a visible one, are Qdrant's own
 * conditional updates, checked atomically per point on the server. Staged points carry {@code
 * staged=true}; every search and count excludes them with {@code must_not staged=true}, so points
 * written before staging existed (without the key) stay visible. See {@link #publish} for what "one
 * step" means here.
 *
 * <p>A collection that does not exist yet is created on the first upsert with the first point's model
 * and dimension (cosine metric); create it beforehand through {@link QdrantCollections} to fix them.
 *
 * <p>Thread-safe. Failures: {@link dev.sluice.index.IndexUnavailableException} when Qdrant is down or
 * slow (retry), {@link dev.sluice.index.PointRejectedException} for a point that can never fit.
 * Does not own the client: closing the index leaves it open.
 */
public final class QdrantVectorIndex implements VectorIndex {

  private static final int PAGE = 1000;

  private final QdrantClient client;
  private final String collection;
  private final QdrantOptions options;
  private final QdrantCalls calls;
  private final KeywordVectors keywords = new KeywordVectors();
  private final PointRequests points = new PointRequests(keywords);
  private final QueryRequests queries;
  private final QdrantCollections collections;
  private final AtomicReference<CollectionSpec> spec = new AtomicReference<>();

  private QdrantVectorIndex(QdrantClient client, String collection, QdrantOptions options) {
    this.client = client;
    this.collection = CollectionSpec.requireValidName(collection);
    this.options = options;
    this.calls = new QdrantCalls(options.timeout());
    this.queries = new QueryRequests(keywords, options);
    this.collections = new QdrantCollections(client, options);
  }

  /** The index over {@code collection} (a collection or alias name), which may not exist yet. */
  public static QdrantVectorIndex open(QdrantClient client, String collection, QdrantOptions options) {
    return new QdrantVectorIndex(client, collection, options);
  }

  @Override
  public void validate(IndexPoint point) {
    Optional<CollectionSpec> known = spec();
    PointChecks.check(point, known.map(CollectionSpec::modelId),
        known.map(s -> OptionalInt.of(s.dimension())).orElse(OptionalInt.empty()));
  }

  @Override
  public void upsert(List<IndexPoint> batch) {
    if (batch.isEmpty()) {
      return;
    }
    CollectionSpec target = spec().orElseGet(() -> createFor(batch.getFirst()));
    for (IndexPoint point : batch) {
      PointChecks.check(point, Optional.of(target.modelId()), OptionalInt.of(target.dimension()));
    }
    calls.await(client.batchUpdateAsync(points.upsert(collection, batch), options.timeout()), "upsert points");
  }

  @Override
  public void setPayload(String tenant, Map<String, PointPayload> payloads) {
    if (payloads.isEmpty() || spec().isEmpty()) {
      return;
    }
    payloads.forEach(PointChecks::checkPayload);
    Map<String, PointPayload> applicable = existingOf(tenant, payloads);
    if (!applicable.isEmpty()) {
      calls.await(client.batchUpdateAsync(points.overwritePayloads(collection, tenant, applicable), options.timeout()),
          "rewrite payloads");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p><b>The step Qdrant gives.</b> Qdrant has no multi-point transaction, so this is one {@code
   * batchUpdate} request, waited for: first the payload rewrites onto the existing points (each
   * guarded on the server by tenant, id and "stored docVersion ≤ this one", the keyword vector
   * following the text and title), then the hard delete of {@code retired}. Qdrant applies a batch's
   * operations in order, so a search running during that one request may match chunks of both
   * versions, never of neither. {@link #search} closes even that window for its callers: it keeps
   * only the newest version of each document among its hits ({@link VersionCoherence}), so a
   * response never holds chunks of two versions of one document. A failure or crash inside the
   * request leaves the new version visible with old chunks not yet deleted (filtered the same way)
   * until the manifest is replayed and publishes again, which is idempotent. The existing points
   * are read once beforehand to refuse a payload that would move its point; nothing is written
   * then.
   */
  @Override
  public void publish(String tenant, Map<String, PointPayload> visible, Collection<String> retired) {
    visible.forEach(PointChecks::checkPublishable);
    if ((visible.isEmpty() && retired.isEmpty()) || spec().isEmpty()) {
      return;
    }
    Map<String, PointPayload> applicable = visible.isEmpty() ? Map.of() : existingOf(tenant, visible);
    if (applicable.isEmpty() && retired.isEmpty()) {
      return;
    }
    calls.await(client.batchUpdateAsync(points.publish(collection, tenant, applicable, retired), options.timeout()),
        "publish a document version");
  }

  @Override
  public Set<String> pointIds(String tenant, String docId) {
    Set<String> ids = new LinkedHashSet<>();
    scroll(QdrantFilters.document(tenant, docId), List.of(Payloads.DOC_ID), false, p -> ids.add(pointId(p.getId())));
    return Set.copyOf(ids);
  }

  @Override
  public List<PointPayload> documentPoints(String tenant, String docId) {
    List<PointPayload> found = new ArrayList<>();
    scroll(QdrantFilters.document(tenant, docId), List.of(), false, p -> found.add(Payloads.fromValues(p.getPayloadMap())));
    found.sort(Comparator.comparingInt(PointPayload::ordinal));
    return List.copyOf(found);
  }

  /** A point both deleted and staged counts as deleted: it is what the purge will remove it as. */
  @Override
  public List<DocumentVersions> documentVersions(String tenant) {
    Map<String, Map<Long, Integer>> live = new TreeMap<>();
    Map<String, Integer> deleted = new HashMap<>();
    Map<String, Integer> staged = new HashMap<>();
    scroll(QdrantFilters.tenant(tenant), List.of(Payloads.DOC_ID, Payloads.DOC_VERSION, Payloads.DELETED, Payloads.STAGED), false,
        p -> {
          var payload = p.getPayloadMap();
          String docId = payload.get(Payloads.DOC_ID).getStringValue();
          live.computeIfAbsent(docId, d -> new TreeMap<>());
          if (flag(payload, Payloads.DELETED)) {
            deleted.merge(docId, 1, Integer::sum);
          } else if (flag(payload, Payloads.STAGED)) {
            staged.merge(docId, 1, Integer::sum);
          } else {
            live.get(docId).merge(payload.get(Payloads.DOC_VERSION).getIntegerValue(), 1, Integer::sum);
          }
        });
    List<DocumentVersions> versions = new ArrayList<>(live.size());
    live.forEach((docId, byVersion) -> versions.add(new DocumentVersions(tenant, docId, new TreeMap<>(byVersion),
        deleted.getOrDefault(docId, 0), staged.getOrDefault(docId, 0))));
    return List.copyOf(versions);
  }

  @Override
  public void deletePoints(String tenant, Collection<String> pointIds) {
    if (pointIds.isEmpty() || spec().isEmpty()) {
      return;
    }
    calls.await(client.deleteAsync(PointRequests.delete(collection, QdrantFilters.ids(tenant, pointIds)), options.timeout()),
        "delete points");
  }

  @Override
  public long markDeleted(String tenant, String docId, Instant deletedAt) {
    // Only live points match, so points deleted earlier keep their first deletedAt.
    return setWhere(QdrantFilters.liveDocument(tenant, docId),
        Map.of(Payloads.DELETED, value(true), Payloads.DELETED_AT, value(deletedAt.toEpochMilli())), "soft-delete a document");
  }

  @Override
  public long undelete(String tenant, String docId) {
    return setWhere(QdrantFilters.deletedDocument(tenant, docId),
        Map.of(Payloads.DELETED, value(false), Payloads.DELETED_AT, nullValue()), "restore a document");
  }

  @Override
  public long purgeDeleted(Instant deletedBefore) {
    if (spec().isEmpty()) {
      return 0;
    }
    Filter expired = QdrantFilters.expired(deletedBefore);
    long purged = count(expired);
    if (purged > 0) {
      calls.await(client.deleteAsync(PointRequests.delete(collection, expired), options.timeout()),
          "purge deleted and abandoned staged points");
    }
    return purged;
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    if (spec().isEmpty()) {
      return List.of();
    }
    if (request.mode() == SearchMode.HYBRID) {
      return VersionCoherence.latestVersionsOnly(hybrid(request));
    }
    var query = queries.build(collection, request);
    if (query.isEmpty()) {
      return List.of();
    }
    List<ScoredPoint> scored = calls.await(client.queryAsync(query.get(), options.timeout()), "search");
    List<SearchHit> hits = new ArrayList<>(scored.size());
    scored.forEach(p -> hits.add(new SearchHit(Payloads.fromValues(p.getPayloadMap()), p.getScore())));
    return VersionCoherence.latestVersionsOnly(hits);
  }

  /** Both rankings in one batch, fused here (see {@link QueryRequests}), then the fused hits' payloads. */
  private List<SearchHit> hybrid(SearchRequest request) {
    List<BatchResult> rankings = calls.await(
        client.queryBatchAsync(collection, queries.hybridRankings(collection, request), null, options.timeout()), "search");
    List<ScoreFusion.Fused<PointId>> fused =
        QueryRequests.fuse(rankings.stream().map(BatchResult::getResultList).toList(), request.topK());
    if (fused.isEmpty()) {
      return List.of();
    }
    Map<PointId, RetrievedPoint> found = new HashMap<>();
    ScrollPoints payloads = QueryRequests.hybridPayloads(collection, request, fused.stream().map(ScoreFusion.Fused::item).toList());
    calls.await(client.scrollAsync(payloads, options.timeout()), "search").getResultList().forEach(p -> found.put(p.getId(), p));
    List<SearchHit> hits = new ArrayList<>(fused.size());
    for (ScoreFusion.Fused<PointId> hit : fused) {
      RetrievedPoint point = found.get(hit.item());
      // Absent: it left the caller's view (deleted, or retired by a publish) since it was ranked.
      if (point != null) {
        hits.add(new SearchHit(Payloads.fromValues(point.getPayloadMap()), (float) hit.score()));
      }
    }
    return hits;
  }

  @Override
  public long count() {
    return spec().isEmpty() ? 0 : count(QdrantFilters.live());
  }

  @Override
  public long count(String tenant) {
    return spec().isEmpty() ? 0 : count(QdrantFilters.live(tenant));
  }

  @Override
  public Optional<String> modelId() {
    return spec().map(CollectionSpec::modelId);
  }

  @Override
  public OptionalInt dimension() {
    return spec().map(s -> OptionalInt.of(s.dimension())).orElse(OptionalInt.empty());
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

  private Optional<CollectionSpec> spec() {
    CollectionSpec known = spec.get();
    if (known != null) {
      return Optional.of(known);
    }
    Optional<CollectionSpec> found = collections.describe(collection);
    found.ifPresent(s -> spec.compareAndSet(null, s));
    return found;
  }

  // The implicit creation of a collection first written to, as the Lucene adapter does.
  private synchronized CollectionSpec createFor(IndexPoint first) {
    Optional<CollectionSpec> known = spec();
    if (known.isPresent()) {
      return known.get();
    }
    PointChecks.check(first, Optional.empty(), OptionalInt.empty());
    CollectionSpec created = new CollectionSpec(collection, first.payload().modelId(), first.vector().length, Metric.COSINE);
    collections.create(created);
    spec.compareAndSet(null, created);
    return spec.get();
  }

  /**
   * The payloads whose point exists in {@code tenant}, each checked not to move its point (the
   * version guard is left to the server, atomically with the write).
   *
   * @throws dev.sluice.index.PointRejectedException if a payload would move its point
   */
  private Map<String, PointPayload> existingOf(String tenant, Map<String, PointPayload> payloads) {
    Map<String, PointPayload> existing = new HashMap<>();
    scroll(QdrantFilters.ids(tenant, payloads.keySet()), List.of(), false,
        p -> existing.put(pointId(p.getId()), Payloads.fromValues(p.getPayloadMap())));
    Map<String, PointPayload> applicable = new HashMap<>();
    payloads.forEach((id, payload) -> {
      PointPayload stored = existing.get(id);
      if (stored != null) {
        PointChecks.checkSamePoint(id, stored, payload);
        applicable.put(id, payload);
      }
    });
    return applicable;
  }

  private long setWhere(Filter filter, Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload, String what) {
    if (spec().isEmpty()) {
      return 0;
    }
    long matching = count(filter);
    if (matching > 0) {
      calls.await(client.setPayloadAsync(PointRequests.setPayload(collection, filter, payload), options.timeout()), what);
    }
    return matching;
  }

  private long count(Filter filter) {
    return calls.await(client.countAsync(collection, filter, true, options.timeout()), "count points");
  }

  private void scroll(Filter filter, List<String> payloadKeys, boolean withVectors, Consumer<RetrievedPoint> each) {
    if (spec().isEmpty()) {
      return;
    }
    Optional<PointId> from = Optional.empty();
    do {
      ScrollResponse page = calls.await(
          client.scrollAsync(PointRequests.scroll(collection, filter, from, PAGE, payloadKeys, withVectors), options.timeout()),
          "scroll points");
      page.getResultList().forEach(each);
      from = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
    } while (from.isPresent());
  }

  private static boolean flag(Map<String, io.qdrant.client.grpc.JsonWithInt.Value> payload, String key) {
    return payload.containsKey(key) && payload.get(key).getBoolValue();
  }

  private static String pointId(PointId id) {
    return id.hasUuid() ? id.getUuid() : Long.toString(id.getNum());
  }
}
