package dev.sluice.index.qdrant;

import static io.qdrant.client.ConditionFactory.matchKeyword;

import dev.sluice.index.DocumentStatus;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.Map;
import java.util.Optional;

/** Builds the document registry's requests: one payload-only point per document. */
final class RegistryRequests {

  private RegistryRequests() {}

  /**
   * Replaces a document's status point (an upsert replaces the whole payload, so a failure that no
   * longer holds goes), waiting until applied. The point has no vector: an empty map of named vectors.
   */
  static UpsertPoints put(String collection, DocumentStatus status) {
    PointStruct point = PointStruct.newBuilder()
        .setId(PointRequests.id(StatusPayloads.pointId(status.tenant(), status.docId())))
        .setVectors(VectorsFactory.namedVectors(Map.of()))
        .putAllPayload(StatusPayloads.toValues(status))
        .build();
    return UpsertPoints.newBuilder().setCollectionName(collection).setWait(true).addPoints(point).build();
  }

  /** Reads one document's status point by id, payload only. */
  static GetPoints get(String collection, String tenant, String docId) {
    return GetPoints.newBuilder()
        .setCollectionName(collection)
        .addIds(PointRequests.id(StatusPayloads.pointId(tenant, docId)))
        .setWithPayload(WithPayloadSelectorFactory.enable(true))
        .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false))
        .build();
  }

  /** The documents in {@code state}, all tenants. */
  static Filter inState(DocumentStatus.State state) {
    return inState(state, Optional.empty());
  }

  /** The documents in {@code state}, of one tenant when given. */
  static Filter inState(DocumentStatus.State state, Optional<String> tenant) {
    Filter.Builder filter = Filter.newBuilder().addMust(matchKeyword(StatusPayloads.STATE, state.name()));
    tenant.ifPresent(t -> filter.addMust(matchKeyword(StatusPayloads.TENANT, t)));
    return filter.build();
  }
}
