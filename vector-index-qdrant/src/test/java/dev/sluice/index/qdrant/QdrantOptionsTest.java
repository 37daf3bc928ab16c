package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QdrantOptionsTest {

  @Test
  void oneShardAndOneReplicaByDefault() {
    assertThat(QdrantOptions.DEFAULTS.shardNumber()).isEqualTo(1);
    assertThat(QdrantOptions.DEFAULTS.replicationFactor()).isEqualTo(1);
  }

  @Test
  void shardingAndTimeoutCanBeChangedAndTheRestIsKept() {
    QdrantOptions options = QdrantOptions.DEFAULTS.withInt8Quantization(true).withSharding(4, 3).withTimeout(Duration.ofSeconds(2));

    assertThat(options).isEqualTo(new QdrantOptions(16, 64, 128, true, Duration.ofSeconds(2), 4, 3));
  }

  @Test
  void shardingBelowOneAndANonPositiveTimeoutAreRefused() {
    assertThatThrownBy(() -> QdrantOptions.DEFAULTS.withSharding(0, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard number");
    assertThatThrownBy(() -> QdrantOptions.DEFAULTS.withSharding(1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replication factor");
    assertThatThrownBy(() -> QdrantOptions.DEFAULTS.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
