package dev.sluice.index.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.index.backend.IndexBackendConfig.Backend;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.runtime.FatalServiceException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBackendsTest {

  @TempDir Path temp;

  @Test
  void luceneIsTheDefault() {
    IndexBackendConfig config = IndexBackendConfig.from(Map.of(IndexBackendConfig.INDEX_DIR, temp.toString()));

    assertThat(config.backend()).isEqualTo(Backend.LUCENE);
    assertThat(config.qdrant()).isEmpty();
    try (OpenIndex opened = IndexBackends.openForWriting(config)) {
      assertThat(opened.index()).isInstanceOf(LuceneVectorIndex.class);
      assertThat(opened.registry()).isInstanceOf(LuceneDocumentRegistry.class);
      assertThat(opened.description()).startsWith("lucene at ");
    }
  }

  @Test
  void qdrantSettingsAreReadAndValidated() {
    IndexBackendConfig config = IndexBackendConfig.from(Map.of(
        IndexBackendConfig.BACKEND, "QDRANT",
        IndexBackendConfig.QDRANT_URL, "https://qdrant.example:6334",
        "qdrant.api.key", "from-the-environment",
        IndexBackendConfig.QDRANT_COLLECTION, "docs-v2",
        IndexBackendConfig.QDRANT_TIMEOUT, "3s",
        IndexBackendConfig.QDRANT_SHARDS, "4",
        IndexBackendConfig.QDRANT_REPLICATION, "2"));

    IndexBackendConfig.Qdrant qdrant = config.qdrant().orElseThrow();
    assertThat(config.backend()).isEqualTo(Backend.QDRANT);
    assertThat(qdrant.url()).isEqualTo(URI.create("https://qdrant.example:6334"));
    assertThat(qdrant.apiKey()).contains("from-the-environment");
    assertThat(qdrant.collection()).isEqualTo("docs-v2");
    assertThat(qdrant.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(qdrant.shards()).isEqualTo(4);
    assertThat(qdrant.replicationFactor()).isEqualTo(2);
    assertThat(qdrant.toString()).doesNotContain("from-the-environment");
  }

  @Test
  void theKeyFromTheSettingsFileWinsOverTheEnvironmentSpelling() {
    IndexBackendConfig config = IndexBackendConfig.from(Map.of(IndexBackendConfig.BACKEND, "qdrant",
        IndexBackendConfig.QDRANT_API_KEY, "from-file", "qdrant.api.key", "from-env"));

    assertThat(config.qdrant().orElseThrow().apiKey()).contains("from-file");
  }

  @Test
  void invalidSettingsFailNamingTheKey() {
    assertThatThrownBy(() -> IndexBackendConfig.from(Map.of(IndexBackendConfig.BACKEND, "elastic")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexBackendConfig.BACKEND);
    assertThatThrownBy(() -> IndexBackendConfig.from(Map.of(IndexBackendConfig.BACKEND, "qdrant",
        IndexBackendConfig.QDRANT_URL, "localhost:6334")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexBackendConfig.QDRANT_URL);
    assertThatThrownBy(() -> IndexBackendConfig.from(Map.of(IndexBackendConfig.QDRANT_COLLECTION, "Not A Name")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexBackendConfig.QDRANT_COLLECTION);
    assertThatThrownBy(() -> IndexBackendConfig.from(Map.of(IndexBackendConfig.QDRANT_SHARDS, "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(IndexBackendConfig.QDRANT_SHARDS);
  }

  @Test
  void anUnreachableQdrantStopsStartUpWithinTenSecondsNamingTheUrl() {
    IndexBackendConfig config = IndexBackendConfig.from(Map.of(IndexBackendConfig.BACKEND, "qdrant",
        IndexBackendConfig.QDRANT_URL, "http://127.0.0.1:1"));
    long start = System.nanoTime();

    assertThatThrownBy(() -> IndexBackends.openForWriting(config))
        .isInstanceOf(FatalServiceException.class)
        .hasMessageContaining("http://127.0.0.1:1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aLuceneIndexHeldByAnotherWriterIsAFatalStartUpError() {
    IndexBackendConfig config = IndexBackendConfig.from(Map.of(IndexBackendConfig.INDEX_DIR, temp.toString()));
    try (OpenIndex first = IndexBackends.openForWriting(config)) {
      assertThatThrownBy(() -> IndexBackends.openForWriting(config))
          .isInstanceOf(FatalServiceException.class)
          .hasMessageContaining("already open for writing");
    }
  }
}
