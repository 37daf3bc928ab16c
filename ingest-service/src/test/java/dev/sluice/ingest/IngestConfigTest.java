package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Settings are parsed into typed config and a bad one fails naming its key. */
class IngestConfigTest {

  @Test
  void defaultsAreSafe() {
    IngestConfig config = IngestConfig.from(Map.of());
    assertThat(config.references().allowedRoots()).as("no root unless configured").isEmpty();
    assertThat(config.references().httpEnabled()).isFalse();
    assertThat(config.limits()).isEqualTo(ParseLimits.DEFAULT);
    assertThat(config.isolation()).isEqualTo(ParserIsolation.DEFAULT);
    assertThat(config.chunking().defaults()).isEqualTo(new ChunkingPolicy(256, 15));
    assertThat(config.chunking().defaults().overlapTokens()).isEqualTo(38);
  }

  @Test
  void settingsAreRead() {
    IngestConfig config = IngestConfig.from(Map.of(
        IngestConfig.ALLOWED_ROOTS, "/srv/docs, /mnt/share",
        IngestConfig.HTTP_ALLOWED_HOSTS, "wiki.example.com, *.cdn.example.com",
        IngestConfig.PARSE_TIMEOUT, "5000",
        IngestConfig.PARSE_ISOLATION, "thread",
        "streams.threads", "3"));
    assertThat(config.references().allowedRoots()).containsExactly(Path.of("/srv/docs"), Path.of("/mnt/share"));
    assertThat(config.references().hostAllowed("WIKI.example.com")).isTrue();
    assertThat(config.references().hostAllowed("img.cdn.example.com")).isTrue();
    assertThat(config.references().hostAllowed("cdn.example.com.evil.org")).isFalse();
    assertThat(config.references().hostAllowed("example.com")).isFalse();
    assertThat(config.limits().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.isolation().mode()).isEqualTo(ParserIsolation.Mode.THREAD);
    assertThat(config.isolation().workers()).as("one parser per stream thread").isEqualTo(3);
  }

  @Test
  void tenantOverridesApplyToTheirTenantOnly() {
    ChunkingPolicies policies = IngestConfig.from(Map.of(
        IngestConfig.CHUNK_MAX_TOKENS_TENANT + "acme", "384",
        IngestConfig.CHUNK_OVERLAP_TENANT + "globex", "0")).chunking();
    assertThat(policies.forTenant("acme")).isEqualTo(new ChunkingPolicy(384, 15));
    assertThat(policies.forTenant("globex")).isEqualTo(new ChunkingPolicy(256, 0));
    assertThat(policies.forTenant("initech")).isEqualTo(ChunkingPolicy.DEFAULT);
    assertThat(policies.largestMaxTokens()).isEqualTo(384);
  }

  @Test
  void badSettingsNameTheirKey() {
    for (Map<String, String> bad : List.of(
        Map.of(IngestConfig.CHUNK_MAX_TOKENS_TENANT + "Not_A_Tenant", "128"),
        Map.of(IngestConfig.CHUNK_MAX_TOKENS_TENANT + "acme", "many"),
        Map.of(IngestConfig.CHUNK_OVERLAP_TENANT + "acme", "90"),
        Map.of(IngestConfig.PARSE_ISOLATION, "fork"),
        Map.of(IngestConfig.PARSE_TIMEOUT, "0"))) {
      String key = bad.keySet().iterator().next();
      assertThatThrownBy(() -> IngestConfig.from(bad)).as(key).isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }
  }

  @Test
  void aBudgetWiderThanTheModelWindowFailsAtStartUp() {
    IngestConfig config = IngestConfig.from(Map.of(IngestConfig.CHUNK_MAX_TOKENS_TENANT + "acme", "512"));
    try (var model = dev.sluice.embedding.ModelCatalogue.loadDefault()) {
      assertThatThrownBy(() -> IngestTopology.build(config, model.tokenizer(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("512");
    }
  }
}
