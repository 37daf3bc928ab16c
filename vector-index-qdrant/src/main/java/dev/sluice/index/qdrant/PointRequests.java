package dev.sluice.index.qdrant;

import static dev.sluice.index.qdrant.CollectionRequests.DENSE;
import static dev.sluice.index.qdrant.CollectionRequests.KEYWORD;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.OverwritePayload;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.PointStructList;
import io.qdrant.client.grpc.Points.PointsUpdateOperation.UpdateVectors;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builds the point-level requests: guarded upserts and payload rewrites, deletes, scrolls, counts. */
final class PointRequests {

  private final KeywordVectors keywords;

  PointRequests(KeywordVectors keywords) {
    this.keywords = keywords;
  }

  /**
   * The batch that upserts {@code points}, waiting until applied. One upsert operation per document
   * version (and staging) in the batch, each with Qdrant's update filter {@link
   * QdrantFilters#upsertGuard}: an older version never replaces a newer point, and a staged point
   * never replaces a visible one (new points are always inserted). Qdrant checks the filter per
   * point, atomically with the write; the operations run in order, in one request.
   */
  UpdateBatchPoints upsert(String collection, List<IndexPoint> points) {
    Map<Guard, List<PointStruct>> byGuard = new LinkedHashMap<>();
    for (IndexPoint point : points) {
      byGuard.computeIfAbsent(new Guard(point.payload().docVersion(), point.payload().staged()), g -> new ArrayList<>())
          .add(pointStruct(point));
    }
    UpdateBatchPoints.Builder batch = UpdateBatchPoints.newBuilder().setCollectionName(collection).setWait(true);
    byGuard.forEach((guard, structs) -> batch.addOperations(PointsUpdateOperation.newBuilder()
        .setUpsert(PointStructList.newBuilder().addAllPoints(structs)
            .setUpdateFilter(QdrantFilters.upsertGuard(guard.docVersion(), guard.staged())))));
    return batch.build();
  }

  /**
   * The batch that replaces the payloads of existing points of {@code tenant}, keeping their dense
   * vectors (the keyword vector follows the text and title). Each rewrite is guarded like an
   * upsert: it only applies to a point of that tenant whose stored version is not newer.
   */
  UpdateBatchPoints overwritePayloads(String collection, String tenant, Map<String, PointPayload> payloads) {
    UpdateBatchPoints.Builder batch = UpdateBatchPoints.newBuilder().setCollectionName(collection).setWait(true);
    payloads.forEach((id, payload) -> {
      Filter guard = QdrantFilters.ids(tenant, List.of(id)).toBuilder()
          .addAllMust(QdrantFilters.versionAtMost(payload.docVersion()).getMustList()).build();
      KeywordVectors.Sparse sparse = keywords.document(payload);
      if (!sparse.isEmpty()) {
        // Before the payload: the guard still sees the stored version, as the payload rewrite will.
        batch.addOperations(PointsUpdateOperation.newBuilder().setUpdateVectors(UpdateVectors.newBuilder()
            .addPoints(PointVectors.newBuilder().setId(id(id))
                .setVectors(VectorsFactory.namedVectors(Map.of(KEYWORD, sparse(sparse)))))
            .setUpdateFilter(guard)));
      }
      batch.addOperations(PointsUpdateOperation.newBuilder().setOverwritePayload(OverwritePayload.newBuilder()
          .putAllPayload(Payloads.toValues(payload))
          .setPointsSelector(PointsSelector.newBuilder().setFilter(guard))));
    });
    return batch.build();
  }

  /**
   * The one batch that publishes a document version: the guarded payload rewrites of {@link
   * #overwritePayloads} first, then the hard delete of {@code retired} (within {@code tenant}).
   * Qdrant applies the operations of a batch in order, so a search running meanwhile may see both
   * versions, never neither.
   */
  UpdateBatchPoints publish(String collection, String tenant, Map<String, PointPayload> visible, Collection<String> retired) {
    UpdateBatchPoints.Builder batch = overwritePayloads(collection, tenant, visible).toBuilder();
    if (!retired.isEmpty()) {
      batch.addOperations(PointsUpdateOperation.newBuilder().setDeletePoints(PointsUpdateOperation.DeletePoints.newBuilder()
          .setPoints(PointsSelector.newBuilder().setFilter(QdrantFilters.ids(tenant, retired)))));
    }
    return batch.build();
  }

  /** Sets some payload keys on every point matching {@code filter} (soft delete, undelete). */
  static SetPayloadPoints setPayload(String collection, Filter filter, Map<String, Value> payload) {
    return SetPayloadPoints.newBuilder().setCollectionName(collection).setWait(true).putAllPayload(payload)
        .setPointsSelector(PointsSelector.newBuilder().setFilter(filter)).build();
  }

  /** Hard-deletes every point matching {@code filter}. */
  static DeletePoints delete(String collection, Filter filter) {
    return DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
        .setPoints(PointsSelector.newBuilder().setFilter(filter)).build();
  }

  /** One page of points matching {@code filter}, with the payload keys asked for (all when none). */
  static ScrollPoints scroll(String collection, Filter filter, Optional<PointId> from, int limit, List<String> payloadKeys,
      boolean withVectors) {
    WithPayloadSelector payload = payloadKeys.isEmpty()
        ? WithPayloadSelectorFactory.enable(true) : WithPayloadSelectorFactory.include(payloadKeys);
    ScrollPoints.Builder scroll = ScrollPoints.newBuilder().setCollectionName(collection).setFilter(filter)
        .setLimit(limit).setWithPayload(payload)
        .setWithVectors(WithVectorsSelector.newBuilder().setEnable(withVectors));
    from.ifPresent(scroll::setOffset);
    return scroll.build();
  }

  private PointStruct pointStruct(IndexPoint point) {
    Map<String, Vector> vectors = new LinkedHashMap<>();
    vectors.put(DENSE, VectorFactory.vector(point.vector()));
    KeywordVectors.Sparse sparse = keywords.document(point.payload());
    if (!sparse.isEmpty()) {
      vectors.put(KEYWORD, sparse(sparse));
    }
    return PointStruct.newBuilder()
        .setId(id(point.id()))
        .setVectors(VectorsFactory.namedVectors(vectors))
        .putAllPayload(Payloads.toValues(point.payload()))
        .build();
  }

  /** Points that share an upsert operation: same version, same staging, hence the same update filter. */
  private record Guard(long docVersion, boolean staged) {}

  static Vector sparse(KeywordVectors.Sparse sparse) {
    return VectorFactory.vector(sparse.values(), sparse.indices());
  }

  static PointId id(String id) {
    return PointIdFactory.id(UUID.fromString(id));
  }
}
