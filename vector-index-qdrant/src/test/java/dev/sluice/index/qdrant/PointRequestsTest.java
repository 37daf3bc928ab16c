package dev.sluice.index.qdrant;

import static dev.sluice.index.TestPoints.axis;
import static dev.sluice.index.TestPoints.id;
import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.Vector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PointRequestsTest {

  private final PointRequests requests = new PointRequests(new KeywordVectors());

  @Test
  void anUpsertWaitsAndGuardsEachVersionGroupAgainstNewerPoints() {
    UpdateBatchPoints batch = requests.upsert("c1", List.of(
        point("a").docVersion(2).build(), point("b").docVersion(1).ordinal(1).build(), point("c").docVersion(2).ordinal(2).build()));

    assertThat(batch.getCollectionName()).isEqualTo("c1");
    assertThat(batch.getWait()).isTrue();
    assertThat(batch.getOperationsList()).hasSize(2).allSatisfy(op -> assertThat(op.hasUpsert()).isTrue());
    PointsUpdateOperation.PointStructList v2 = batch.getOperations(0).getUpsert();
    assertThat(v2.getPointsList()).extracting(p -> p.getId().getUuid()).containsExactly(id("a"), id("c"));
    assertThat(v2.getUpdateFilter().getMust(0).getField().getKey()).isEqualTo("docVersion");
    assertThat(v2.getUpdateFilter().getMust(0).getField().getRange().getLte()).isEqualTo(2);
    assertThat(batch.getOperations(1).getUpsert().getUpdateFilter().getMust(0).getField().getRange().getLte()).isEqualTo(1);
  }

  @Test
  void aPointCarriesItsDenseAndKeywordVectorsAndItsPayload() {
    PointStruct struct = requests.upsert("c1", List.of(point("a").text("kafka streams").noTitle().vector(axis(2)).build()))
        .getOperations(0).getUpsert().getPoints(0);

    Map<String, Vector> vectors = struct.getVectors().getVectors().getVectorsMap();
    assertThat(vectors).containsOnlyKeys("dense", "keyword");
    assertThat(vectors.get("dense").getDense().getDataList()).hasSize(8).element(2).isEqualTo(1f);
    assertThat(vectors.get("keyword").getSparse().getIndicesCount()).isEqualTo(2);
    assertThat(struct.getPayloadMap().get("tenant").getStringValue()).isEqualTo("acme");
    assertThat(struct.getPayloadMap().get("docVersion").getIntegerValue()).isEqualTo(1);
  }

  @Test
  void aPointWhoseTextHasNoTermsHasNoKeywordVector() {
    PointStruct struct = requests.upsert("c1", List.of(point("a").text("the and of").noTitle().build())).getOperations(0).getUpsert().getPoints(0);

    assertThat(struct.getVectors().getVectors().getVectorsMap()).containsOnlyKeys("dense");
  }

  @Test
  void aPayloadRewriteIsGuardedByTenantIdAndVersionAndUpdatesTheKeywordVectorFirst() {
    PointPayload payload = point("a").text("new words").docVersion(5).build().payload();
    UpdateBatchPoints batch = requests.overwritePayloads("c1", "acme", Map.of(id("a"), payload));

    assertThat(batch.getWait()).isTrue();
    assertThat(batch.getOperationsList()).hasSize(2);
    PointsUpdateOperation.UpdateVectors vectors = batch.getOperations(0).getUpdateVectors();
    assertThat(vectors.getPoints(0).getId().getUuid()).isEqualTo(id("a"));
    assertThat(vectors.getPoints(0).getVectors().getVectors().getVectorsMap()).containsOnlyKeys("keyword");
    Filter guard = batch.getOperations(1).getOverwritePayload().getPointsSelector().getFilter();
    assertThat(guard).isEqualTo(vectors.getUpdateFilter());
    assertThat(guard.getMustList()).filteredOn(Condition::hasField).extracting(c -> c.getField().getKey())
        .containsExactly("tenant", "docVersion");
    assertThat(guard.getMustList()).filteredOn(Condition::hasHasId).singleElement()
        .satisfies(c -> assertThat(c.getHasId().getHasId(0).getUuid()).isEqualTo(id("a")));
    assertThat(batch.getOperations(1).getOverwritePayload().getPayloadMap().get("text").getStringValue()).isEqualTo("new words");
  }

  @Test
  void deletesAndPayloadUpdatesWaitAndSelectByFilter() {
    Filter filter = QdrantFilters.liveDocument("acme", "doc-1");
    DeletePoints delete = PointRequests.delete("c1", filter);
    SetPayloadPoints set = PointRequests.setPayload("c1", filter, Map.of("deleted", io.qdrant.client.ValueFactory.value(true)));

    assertThat(delete.getWait()).isTrue();
    assertThat(delete.getPoints().getFilter()).isEqualTo(filter);
    assertThat(set.getWait()).isTrue();
    assertThat(set.getPointsSelector().getFilter()).isEqualTo(filter);
    assertThat(set.getPayloadMap().get("deleted").getBoolValue()).isTrue();
  }

  @Test
  void aScrollAsksOnlyForTheKeysItNeeds() {
    ScrollPoints scroll = PointRequests.scroll("c1", QdrantFilters.tenant("acme"), Optional.of(PointRequests.id(id("a"))), 500,
        List.of("docId"), false);

    assertThat(scroll.getLimit()).isEqualTo(500);
    assertThat(scroll.getWithPayload().getInclude().getFieldsList()).containsExactly("docId");
    assertThat(scroll.getWithVectors().getEnable()).isFalse();
    assertThat(scroll.getOffset().getUuid()).isEqualTo(id("a"));
    assertThat(PointRequests.scroll("c1", QdrantFilters.tenant("acme"), Optional.empty(), 10, List.of(), false)
        .getWithPayload().getEnable()).isTrue();
  }

  private static IndexPoint staged(IndexPoint point) {
    return new IndexPoint(point.id(), point.vector(), point.payload().asStaged());
  }

  @Test
  void stagedPointsGetTheirOwnOperationGuardedSoTheyNeverReplaceAVisiblePoint() {
    UpdateBatchPoints batch = requests.upsert("c1", List.of(
        point("a").docVersion(2).build(), staged(point("b").docVersion(2).ordinal(1).build()),
        staged(point("c").docVersion(2).ordinal(2).build())));

    assertThat(batch.getOperationsList()).hasSize(2);
    PointsUpdateOperation.PointStructList visible = batch.getOperations(0).getUpsert();
    PointsUpdateOperation.PointStructList hidden = batch.getOperations(1).getUpsert();
    assertThat(visible.getPointsList()).extracting(p -> p.getId().getUuid()).containsExactly(id("a"));
    assertThat(visible.getUpdateFilter()).isEqualTo(QdrantFilters.upsertGuard(2, false));
    assertThat(hidden.getPointsList()).extracting(p -> p.getId().getUuid()).containsExactly(id("b"), id("c"));
    assertThat(hidden.getUpdateFilter()).isEqualTo(QdrantFilters.upsertGuard(2, true));
    assertThat(hidden.getPointsList()).allSatisfy(p -> assertThat(p.getPayloadMap().get("staged").getBoolValue()).isTrue());
  }

  @Test
  void publishIsOneBatchThatRewritesThePayloadsFirstAndDeletesTheRetiredLast() {
    PointPayload a = point("a").docVersion(3).build().payload();
    PointPayload b = point("b").text("the of").noTitle().docVersion(3).ordinal(1).build().payload();
    UpdateBatchPoints batch = requests.publish("c1", "acme", new java.util.LinkedHashMap<>(Map.of(id("a"), a)),
        List.of(id("old-1"), id("old-2")));

    assertThat(batch.getCollectionName()).isEqualTo("c1");
    assertThat(batch.getWait()).isTrue();
    assertThat(batch.getOperationsList()).extracting(PointsUpdateOperation::getOperationCase).containsExactly(
        PointsUpdateOperation.OperationCase.UPDATE_VECTORS, PointsUpdateOperation.OperationCase.OVERWRITE_PAYLOAD,
        PointsUpdateOperation.OperationCase.DELETE_POINTS);
    PointsUpdateOperation.OverwritePayload rewrite = batch.getOperations(1).getOverwritePayload();
    assertThat(rewrite.getPayloadMap().get("staged").getBoolValue()).isFalse();
    assertThat(rewrite.getPayloadMap().get("docVersion").getIntegerValue()).isEqualTo(3);
    Filter guard = rewrite.getPointsSelector().getFilter();
    assertThat(guard.getMustList()).filteredOn(Condition::hasField).extracting(c -> c.getField().getKey())
        .containsExactly("tenant", "docVersion");
    Filter retired = batch.getOperations(2).getDeletePoints().getPoints().getFilter();
    assertThat(retired).isEqualTo(QdrantFilters.ids("acme", List.of(id("old-1"), id("old-2"))));

    assertThat(requests.publish("c1", "acme", Map.of(id("b"), b), List.of()).getOperationsList())
        .extracting(PointsUpdateOperation::getOperationCase).containsExactly(PointsUpdateOperation.OperationCase.OVERWRITE_PAYLOAD);
    assertThat(requests.publish("c1", "acme", Map.of(), List.of(id("old-1"))).getOperationsList())
        .extracting(PointsUpdateOperation::getOperationCase).containsExactly(PointsUpdateOperation.OperationCase.DELETE_POINTS);
  }
}
