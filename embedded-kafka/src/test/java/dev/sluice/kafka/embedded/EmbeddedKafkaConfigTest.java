package dev.sluice.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

  private static final Path DIR = Path.of("build", "kafka");

  @Test
  void defaultsToSixPartitionsAndAnAbsoluteDataDir() {
    EmbeddedKafkaConfig config = EmbeddedKafkaConfig.of(DIR, 0, List.of("sluice.documents"));

    assertThat(config.partitions()).isEqualTo(6);
    assertThat(config.dataDir()).isEqualTo(DIR.toAbsolutePath());
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EmbeddedKafkaConfig.of(DIR, 65_536, List.of()))
        .withMessageContaining("brokerPort");
  }

  @Test
  void rejectsIllegalOrDuplicateTopicNames() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EmbeddedKafkaConfig.of(DIR, 0, List.of("a b")))
        .withMessageContaining("'a b'");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EmbeddedKafkaConfig.of(DIR, 0, List.of("a", "a")))
        .withMessageContaining("listed twice");
  }

  @Test
  void rejectsZeroPartitions() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EmbeddedKafkaConfig(DIR, 0, List.of("a"), 0))
        .withMessageContaining("partitions");
  }
}
