package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.Failure;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.TestPoints;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusPayloadsTest {

  private static final DocumentStatus INDEXED =
      new DocumentStatus("acme", "doc/1", State.INDEXED, 7, 12, TestPoints.T0, TestPoints.T0.plusSeconds(3), Optional.empty());

  @Test
  void aStatusRoundTripsWithEveryField() {
    Map<String, Value> values = StatusPayloads.toValues(INDEXED);

    assertThat(values).containsOnlyKeys("tenant", "docId", "state", "version", "chunks", "eventTime", "updatedAt",
        "searchableVersion");
    assertThat(values.get("state").getStringValue()).isEqualTo("INDEXED");
    assertThat(values.get("updatedAt").getIntegerValue()).isEqualTo(TestPoints.T0.plusSeconds(3).toEpochMilli());
    assertThat(StatusPayloads.fromValues(values)).isEqualTo(INDEXED);
  }

  @Test
  void aPendingStatusKeepsItsStageAndTheVersionStillSearchable() {
    DocumentStatus pending = new DocumentStatus("acme", "d", State.PENDING, 3, 0, TestPoints.T0, TestPoints.T0,
        Optional.empty(), Optional.of("embed"), Optional.of(2L));

    assertThat(StatusPayloads.fromValues(StatusPayloads.toValues(pending))).isEqualTo(pending);
  }

  @Test
  void anIndexedStatusWrittenBeforeSearchableVersionExistedReadsAsSearchableAtItsVersion() {
    Map<String, Value> values = new java.util.HashMap<>(StatusPayloads.toValues(INDEXED));
    values.remove("searchableVersion");

    assertThat(StatusPayloads.fromValues(values).searchableVersion()).contains(7L);
  }

  @Test
  void aFailureRoundTripsIncludingAMissingMessage() {
    DocumentStatus failed = new DocumentStatus("acme", "d", State.FAILED, 2, 0, TestPoints.T0, TestPoints.T0,
        Optional.of(new Failure("parse", "ENCRYPTED", null)));
    Map<String, Value> values = StatusPayloads.toValues(failed);

    assertThat(values.get("failure").getStructValue().getFieldsMap().get("stage").getStringValue()).isEqualTo("parse");
    assertThat(StatusPayloads.fromValues(values)).isEqualTo(failed);
  }

  @Test
  void thePointIdIsANameBasedUuidOfTenantNulDocId() {
    assertThat(StatusPayloads.pointId("acme", "doc/1"))
        .isEqualTo(UUID.nameUUIDFromBytes("acme\0doc/1".getBytes(StandardCharsets.UTF_8)).toString())
        .isNotEqualTo(StatusPayloads.pointId("beta", "doc/1"))
        .isNotEqualTo(StatusPayloads.pointId("acmedoc", "/1"));
  }
}
