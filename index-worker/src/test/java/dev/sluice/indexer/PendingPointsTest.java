package dev.sluice.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.runtime.DeadLetters.Origin;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class PendingPointsTest {

  private static PendingPoints.Pending pending(String id) {
    PointPayload payload = new PointPayload("acme", "d", id, 0, "t", "h", 1, "s", Optional.empty(), "", Optional.empty(),
        Optional.empty(), Map.of(), List.of(), "m", Instant.EPOCH, Instant.EPOCH, false, Optional.empty(), false, List.of());
    return new PendingPoints.Pending(new IndexPoint(id, new float[] {1f}, payload), new Record<>("acme/d", new byte[0], 0L),
        new Origin("vectors", 0, 1));
  }

  @Test
  void aBatchSaysWhenItIsFullAndDrainsInOrder() {
    PendingPoints points = new PendingPoints(3);

    assertThat(points.add(pending("a"))).isFalse();
    assertThat(points.add(pending("b"))).isFalse();
    assertThat(points.first()).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo("a"));
    assertThat(points.add(pending("c"))).isTrue();
    assertThat(points.drain()).extracting(p -> p.point().id()).containsExactly("a", "b", "c");
    assertThat(points.isEmpty()).isTrue();
    assertThat(points.first()).isEmpty();
  }

  @Test
  void aBatchIsDueOnceItsOldestPointHasLingered() throws InterruptedException {
    PendingPoints points = new PendingPoints(10);
    assertThat(points.isDue(0)).as("an empty batch is never due").isFalse();

    points.add(pending("a"));
    assertThat(points.isDue(java.time.Duration.ofHours(1).toNanos())).isFalse();
    Thread.sleep(5);
    assertThat(points.isDue(java.time.Duration.ofMillis(1).toNanos())).isTrue();
  }
}
