package dev.sluice.indexer;

import dev.sluice.runtime.DurationSetting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class IndexConfigTest {

  @Test
  void defaultsKeepDeletesThreeDaysAndBatchAPoll() {
    IndexConfig config = IndexConfig.from(Map.of());

    assertThat(config.purge().retention()).isEqualTo(Duration.ofHours(72));
    assertThat(config.purge().interval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.batch().size()).isEqualTo(256);
    assertThat(config.batch().linger()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.resilience().attempts()).isEqualTo(5);
    assertThat(config.resilience().openDuration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void durationsReadAsOperatorsWriteThem() {
    assertThat(DurationSetting.parse("72h")).isEqualTo(Duration.ofHours(72));
    assertThat(DurationSetting.parse(" 30m ")).isEqualTo(Duration.ofMinutes(30));
    assertThat(DurationSetting.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationSetting.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(DurationSetting.parse("PT12H")).isEqualTo(Duration.ofHours(12));
    assertThat(IndexConfig.from(Map.of(IndexConfig.PURGE_RETENTION, "10s")).purge().retention()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void anInvalidSettingFailsNamingItsKey() {
    assertThatThrownBy(() -> IndexConfig.from(Map.of(IndexConfig.PURGE_RETENTION, "three days")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexConfig.PURGE_RETENTION).hasMessageContaining("72h");
    assertThatThrownBy(() -> IndexConfig.from(Map.of(IndexConfig.BATCH_LINGER, "0s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexConfig.BATCH_LINGER);
    assertThatThrownBy(() -> IndexConfig.from(Map.of(IndexConfig.BATCH_SIZE, "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexConfig.BATCH_SIZE);
  }
}
