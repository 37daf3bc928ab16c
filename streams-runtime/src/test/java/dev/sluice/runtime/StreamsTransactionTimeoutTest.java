package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** How long an exactly-once transaction may stay open: a setting of its own, checked against the commit interval. */
class StreamsTransactionTimeoutTest {
  private static final ConfigDef DEFINITION = StreamsSettings.define(new ConfigDef());
  private static final String PRODUCER_TIMEOUT = StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);

  private static StreamsSettings settings(Map<String, String> values) {
    return StreamsSettings.from(new AbstractConfig(DEFINITION, values), "sluice-embed");
  }

  @Test
  void exactlyOnceProducersGetTheTimeoutLongerThanKafkaStreamsOwnTenSeconds() {
    Properties props = settings(Map.of()).toStreamsProperties();

    assertThat(settings(Map.of()).transactionTimeoutMs()).isEqualTo(StreamsSettings.DEFAULT_TRANSACTION_TIMEOUT_MS).isGreaterThan(60_000L);
    assertThat(props.get(PRODUCER_TIMEOUT)).isEqualTo((int) StreamsSettings.DEFAULT_TRANSACTION_TIMEOUT_MS);
    assertThat(settings(Map.of(StreamsSettings.TRANSACTION_TIMEOUT, "30000")).toStreamsProperties().get(PRODUCER_TIMEOUT)).isEqualTo(30_000);
  }

  @Test
  void atLeastOnceProducersHaveNoTransactionToTimeOut() {
    Properties props = settings(Map.of(StreamsSettings.GUARANTEE, StreamsConfig.AT_LEAST_ONCE)).toStreamsProperties();

    assertThat(props).doesNotContainKey(PRODUCER_TIMEOUT);
  }

  @Test
  void aTimeoutBelowTheCommitIntervalOrTheBrokersMaximumIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> settings(Map.of(StreamsSettings.COMMIT_INTERVAL, "5000", StreamsSettings.TRANSACTION_TIMEOUT, "2000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamsSettings.TRANSACTION_TIMEOUT).hasMessageContaining("commit");
    assertThatThrownBy(() -> settings(Map.of(StreamsSettings.TRANSACTION_TIMEOUT, "900001")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamsSettings.TRANSACTION_TIMEOUT);
  }

  @Test
  void derivedSettingsKeepTheTimeout() {
    StreamsSettings settings = settings(Map.of(StreamsSettings.TRANSACTION_TIMEOUT, "45000"));

    assertThat(settings.withApplicationId("other").transactionTimeoutMs()).isEqualTo(45_000L);
    assertThat(settings.withInfrastructure(IllegalStateException.class).transactionTimeoutMs()).isEqualTo(45_000L);
  }
}
