package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.TestPoints;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryRequestsTest {

  private static final DocumentStatus STATUS =
      new DocumentStatus("acme", "doc-1", State.INDEXED, 4, 9, TestPoints.T0, TestPoints.T0, Optional.empty());

  @Test
  void aPutIsAWaitedUpsertOfOneVectorlessPointKeyedByTenantAndDocId() {
    UpsertPoints put = RegistryRequests.put("sluice-documents", STATUS);

    assertThat(put.getCollectionName()).isEqualTo("sluice-documents");
    assertThat(put.getWait()).isTrue();
    PointStruct point = put.getPoints(0);
    assertThat(put.getPointsList()).hasSize(1);
    assertThat(point.getId().getUuid()).isEqualTo(StatusPayloads.pointId("acme", "doc-1"));
    assertThat(point.getVectors().hasVectors()).isTrue();
    assertThat(point.getVectors().getVectors().getVectorsMap()).isEmpty();
    assertThat(point.getPayloadMap()).isEqualTo(StatusPayloads.toValues(STATUS));
  }

  @Test
  void aGetReadsThatOnePointsPayloadWithoutVectors() {
    GetPoints get = RegistryRequests.get("sluice-documents", "acme", "doc-1");

    assertThat(get.getCollectionName()).isEqualTo("sluice-documents");
    assertThat(get.getIdsList()).singleElement()
        .satisfies(id -> assertThat(id.getUuid()).isEqualTo(StatusPayloads.pointId("acme", "doc-1")));
    assertThat(get.getWithPayload().getEnable()).isTrue();
    assertThat(get.getWithVectors().getEnable()).isFalse();
  }

  @Test
  void countsMatchTheStateKeywordAcrossTenants() {
    Filter failed = RegistryRequests.inState(State.FAILED);

    assertThat(failed.getMustList()).singleElement().satisfies(c -> {
      assertThat(c.getField().getKey()).isEqualTo("state");
      assertThat(c.getField().getMatch().getKeyword()).isEqualTo("FAILED");
    });
  }

  @Test
  void theRegistryLivesBesideThePointsCollectionOrAlias() {
    assertThat(QdrantDocumentRegistry.collectionFor("sluice")).isEqualTo("sluice-documents");
  }
}
