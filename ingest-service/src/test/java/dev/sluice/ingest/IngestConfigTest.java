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
    assertThat(config.eventLimits()).isEqualTo(EventLimits.DEFAULT);
    assertThat(config.pii().redacts("acme")).as("redaction is opt-in").isFalse();
    assertThat(config.pii().kinds()).containsExactlyInAnyOrder(PiiKind.values());
  }

  @Test
  void theDefaultLimitsLeaveRoomForTheLargestChunkUnderThePayloadLimit() {
    // EventLimits' javadoc adds it up field by field; this is the same sum.
    assertThat(EventLimits.DEFAULT.worstCasePayloadBytes()).isEqualTo(247_685L);
    assertThat(EventLimits.DEFAULT.worstCasePayloadBytes()).isLessThanOrEqualTo(EventLimits.PAYLOAD_LIMIT_BYTES);
    assertThat(EventLimits.PAYLOAD_LIMIT_BYTES).as("VectorIndex.MAX_PAYLOAD_BYTES").isEqualTo(256 * 1024);
  }

  @Test
  void limitsAndRedactionAreRead() {
    IngestConfig config = IngestConfig.from(Map.of(
        IngestConfig.LIMIT_METADATA_ENTRIES, "16",
        IngestConfig.LIMIT_METADATA_KEY_CHARS, "32",
        IngestConfig.LIMIT_METADATA_VALUE_CHARS, "512",
        IngestConfig.LIMIT_METADATA_TOTAL_BYTES, "4096",
        IngestConfig.LIMIT_TITLE_CHARS, "200",
        IngestConfig.LIMIT_ACL_GROUPS, "8",
        IngestConfig.LIMIT_ACL_GROUP_CHARS, "64",
        IngestConfig.LIMIT_SOURCE_CHARS, "1024",
        IngestConfig.LIMIT_TRACE_ID_CHARS, "64",
        IngestConfig.LIMIT_CONTENT_TYPE_CHARS, "100"));
    assertThat(config.eventLimits()).isEqualTo(new EventLimits(16, 32, 512, 4096, 200, 8, 64, 1024, 64, 100));
    PiiSettings some = IngestConfig.from(Map.of(IngestConfig.PII_REDACT_TENANTS, "acme, globex",
        IngestConfig.PII_KINDS, "EMAIL, iban")).pii();
    assertThat(some.redacts("acme")).isTrue();
    assertThat(some.redacts("globex")).isTrue();
    assertThat(some.redacts("initech")).isFalse();
    assertThat(some.kinds()).containsExactlyInAnyOrder(PiiKind.EMAIL, PiiKind.IBAN);
    PiiSettings everyone = IngestConfig.from(Map.of(IngestConfig.PII_REDACT_TENANTS, "*")).pii();
    assertThat(everyone.redacts("initech")).isTrue();
  }

  @Test
  void limitsThatCouldMakeAPointTooLargeForTheIndexFailAtStartUp() {
    // 1,000 groups of 256 characters: up to 768,000 bytes on every point.
    assertThatThrownBy(() -> IngestConfig.from(Map.of(IngestConfig.LIMIT_ACL_GROUPS, "1000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("262144").hasMessageContaining(IngestConfig.LIMIT_ACL_GROUPS).hasMessageContaining(IngestConfig.LIMIT_METADATA_TOTAL_BYTES);
    // Raising one limit is fine when another makes room.
    IngestConfig traded = IngestConfig.from(Map.of(IngestConfig.LIMIT_ACL_GROUPS, "128", IngestConfig.LIMIT_ACL_GROUP_CHARS, "128"));
    assertThat(traded.eventLimits().worstCasePayloadBytes()).isLessThanOrEqualTo(EventLimits.PAYLOAD_LIMIT_BYTES);
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
        Map.of(IngestConfig.PARSE_TIMEOUT, "0"),
        Map.of(IngestConfig.LIMIT_METADATA_ENTRIES, "0"),
        Map.of(IngestConfig.LIMIT_TITLE_CHARS, "lots"),
        Map.of(IngestConfig.LIMIT_METADATA_TOTAL_BYTES, "300000"),
        Map.of(IngestConfig.PII_REDACT_TENANTS, "Not_A_Tenant"),
        Map.of(IngestConfig.PII_REDACT_TENANTS, "*, acme"),
        Map.of(IngestConfig.PII_KINDS, "email, fax"),
        Map.of(IngestConfig.PII_KINDS, ""))) {
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
