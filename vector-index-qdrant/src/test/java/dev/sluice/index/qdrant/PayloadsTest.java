package dev.sluice.index.qdrant;

import static dev.sluice.index.TestPoints.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.PointPayload;
import dev.sluice.index.TestPoints;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {

  @Test
  void aFullPayloadRoundTrips() {
    PointPayload payload = point("p1").meta("author", "ada").meta("tags", "x, y ,x").acl("eng", "ops").build().payload();

    assertThat(Payloads.fromValues(Payloads.toValues(payload))).isEqualTo(payload);
  }

  @Test
  void absentOptionalsAndASoftDeleteRoundTrip() {
    PointPayload payload = point("p1").noTitle().language(null).contentType(null).deletedAt(TestPoints.T0).build().payload();

    Map<String, Value> values = Payloads.toValues(payload);

    assertThat(values).doesNotContainKeys("title", "language", "contentType");
    assertThat(values.get("deletedAt").getIntegerValue()).isEqualTo(TestPoints.T0.toEpochMilli());
    assertThat(Payloads.fromValues(values)).isEqualTo(payload);
  }

  @Test
  void filterKeysAreDerivedFromMetadataAndAcl() {
    Map<String, Value> values = Payloads.toValues(point("p1").meta("tags", "geo, water").meta("tier", "gold").build().payload());

    assertThat(values.get("tags").getListValue().getValuesList()).extracting(Value::getStringValue).containsExactly("geo", "water");
    assertThat(values.get("metaPairs").getListValue().getValuesList()).extracting(Value::getStringValue)
        .contains("tier\u001fgold");
    assertThat(values.get("aclPublic").getBoolValue()).isTrue();
    assertThat(values.get("deletedAt").hasNullValue()).isTrue();
    assertThat(Payloads.toValues(point("p2").acl("eng").build().payload()).get("aclPublic").getBoolValue()).isFalse();
  }

  @Test
  void stagedRoundTripsAndAPointWrittenBeforeStagingReadsAsVisible() {
    PointPayload staged = point("p1").build().payload().asStaged();
    Map<String, Value> values = Payloads.toValues(staged);

    assertThat(values.get("staged").getBoolValue()).isTrue();
    assertThat(Payloads.fromValues(values)).isEqualTo(staged);
    assertThat(Payloads.toValues(point("p2").build().payload()).get("staged").getBoolValue()).isFalse();

    Map<String, Value> legacy = new java.util.HashMap<>(Payloads.toValues(point("p3").build().payload()));
    legacy.remove("staged");
    assertThat(Payloads.fromValues(legacy).staged()).isFalse();
    assertThat(Payloads.fromValues(legacy).visible()).isTrue();
  }
}
