package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.runtime.failure.DeadLetterDeserializationHandler;
import dev.sluice.runtime.failure.DeadLetterProcessingHandler;
import dev.sluice.runtime.failure.DeadLetterProductionHandler;
import dev.sluice.runtime.failure.FailureKind;
import dev.sluice.runtime.failure.FailurePolicy;
import dev.sluice.runtime.failure.FailureSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsSettingsTest {
  private static final ConfigDef DEFINITION = StreamsSettings.define(new ConfigDef());

  private static StreamsSettings settings(Map<String, String> values, String applicationId) {
    return StreamsSettings.from(new AbstractConfig(DEFINITION, values), applicationId);
  }

  @Test
  void defaultsAndTheStageOfASluiceApplicationId() {
    StreamsSettings settings = settings(Map.of(StreamsSettings.TOPIC_PREFIX, "p."), "sluice-index");

    assertThat(settings.applicationId()).isEqualTo("p.sluice-index");
    assertThat(settings.stage()).isEqualTo("index");
    assertThat(settings.failures()).isEqualTo(FailureSettings.DEFAULTS);
    assertThat(settings.failures().maxRecordAttempts()).isEqualTo(5);
    assertThat(StreamsSettings.stageOf("clean-run")).isEqualTo("clean-run");
    assertThat(StreamsSettings.stageOf("sluice-")).isEqualTo("sluice-");
  }

  @Test
  void failureSettingsAreRead() {
    Map<String, String> values = new HashMap<>();
    values.put(StreamsSettings.MAX_RECORD_ATTEMPTS, "3");
    values.put(StreamsSettings.THREAD_BACKOFF, "250");
    values.put(StreamsSettings.THREAD_BACKOFF_MAX, "4000");
    values.put(StreamsSettings.MAX_THREAD_FAILURES, "7");
    values.put(StreamsSettings.DLQ_TIMEOUT, "2000");
    values.put(StreamsSettings.INFRASTRUCTURE_EXCEPTIONS, "dev.sluice.index.IndexUnavailableException, java.io.IOException");

    FailureSettings failures = StreamsSettings.from(new AbstractConfig(DEFINITION, values), "sluice-embed", "embedding")
        .failures();

    assertThat(failures).isEqualTo(new FailureSettings(3, Duration.ofMillis(250), Duration.ofSeconds(4), 7,
        Duration.ofSeconds(2), List.of("dev.sluice.index.IndexUnavailableException", "java.io.IOException")));
  }

  @Test
  void badFailureSettingsAreRefusedNamingTheirKey() {
    Map<String, String> bad = Map.of(
        StreamsSettings.MAX_RECORD_ATTEMPTS, "0",
        StreamsSettings.THREAD_BACKOFF_MAX, "600000",
        StreamsSettings.DLQ_TIMEOUT, "0",
        StreamsSettings.INFRASTRUCTURE_EXCEPTIONS, "not a class");
    bad.forEach((key, value) -> assertThatThrownBy(() -> settings(Map.of(key, value), "sluice-index"))
        .as(key).isInstanceOf(ConfigException.class).hasMessageContaining(key));
  }

  @Test
  void propertiesInstallTheHandlersAndTheirPolicy() {
    StreamsSettings settings = settings(Map.of(), "sluice-ingest");
    Properties props = settings.toStreamsProperties();

    assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterProcessingHandler.class);
    assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(DeadLetterProductionHandler.class);
    assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
        .isEqualTo(DeadLetterDeserializationHandler.class);
    assertThat(props.get(FailurePolicy.CONFIG)).isInstanceOfSatisfying(FailurePolicy.class, policy -> {
      assertThat(policy.stage()).isEqualTo("ingest");
      assertThat(policy.maxRecordAttempts()).isEqualTo(5);
      policy.sink().close();
    });
    // What Kafka Streams makes of them: the configured handler classes, instantiated and configured.
    StreamsConfig config = new StreamsConfig(props);
    assertThat(config.processingExceptionHandler()).isInstanceOf(DeadLetterProcessingHandler.class);
    assertThat(config.productionExceptionHandler()).isInstanceOf(DeadLetterProductionHandler.class);
    assertThat(config.deserializationExceptionHandler()).isInstanceOf(DeadLetterDeserializationHandler.class);
  }

  @Test
  void aRealClientAcceptsTheProperties(@TempDir Path state) {
    // Port 1: nothing listens there, so the client cannot reach any broker a developer runs.
    StreamsSettings settings = settings(
        Map.of(StreamsSettings.STATE_DIR, state.toString(), StreamsSettings.BOOTSTRAP, "127.0.0.1:1"), "sluice-index");
    Topology topology = new Topology();
    topology.addSource("in", "vectors");
    topology.addSink("out", "dlq", "in");
    // Building the client builds its consumer, producer and admin configs, without contacting a broker.
    KafkaStreams streams = new KafkaStreams(topology, settings.toStreamsProperties(settings.failurePolicy(letter -> {})));
    streams.close(Duration.ofSeconds(5));

    assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
  }

  @Test
  void servicesNameTheirInfrastructureExceptionsWithoutDependingOnStreamsRuntime() {
    StreamsSettings settings = settings(Map.of(), "sluice-index").withInfrastructure(UncheckedIOException.class);

    assertThat(settings.failures().infrastructureExceptions()).containsExactly(UncheckedIOException.class.getName());
    assertThat(settings.failurePolicy(letter -> {}).classifier().classify(new UncheckedIOException("index", new IOException())))
        .isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(settings.withApplicationId("clean-run").stage()).as("the stage stays").isEqualTo("index");
    assertThat(settings.withApplicationId("clean-run").failures()).isEqualTo(settings.failures());
  }

  @Test
  void theSevenSettingsConstructorKeepsWorking() {
    StreamsSettings settings = settings(Map.of(), "sluice-embed");
    StreamsSettings rebuilt = new StreamsSettings(settings.applicationId(), settings.bootstrapServers(), settings.topics(),
        settings.stateDir(), settings.processingGuarantee(), settings.streamThreads(), settings.commitIntervalMs());

    assertThat(rebuilt).isEqualTo(settings);
  }
}
