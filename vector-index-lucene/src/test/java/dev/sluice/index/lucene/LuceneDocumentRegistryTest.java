package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.Failure;
import dev.sluice.index.DocumentStatus.State;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneDocumentRegistryTest {

  private static final Instant T0 = Instant.parse("2025-03-04T05:06:07.890Z");

  @TempDir Path dir;
  private LuceneDocumentRegistry registry;

  @BeforeEach
  void open() {
    registry = LuceneDocumentRegistry.openWritable(dir.resolve("documents"));
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private static DocumentStatus status(String tenant, String docId, State state, long version) {
    return new DocumentStatus(tenant, docId, state, version, 3, T0, T0.plusSeconds(version), Optional.empty());
  }

  @Test
  void getReturnsWhatWasPut() {
    DocumentStatus failed =
        new DocumentStatus("acme", "doc/with/slashes", State.FAILED, 7, 0, T0, T0.plusSeconds(1),
            Optional.of(new Failure("parse", "ENCRYPTED", "the PDF is password protected")));
    registry.put(failed);

    assertThat(registry.get("acme", "doc/with/slashes")).contains(failed);
    assertThat(registry.get("acme", "unknown")).isEmpty();
    assertThat(registry.get("other", "doc/with/slashes")).isEmpty();
  }

  @Test
  void putReplacesTheStatusOfADocument() {
    registry.put(status("acme", "d1", State.PENDING, 1));
    registry.put(status("acme", "d1", State.INDEXED, 2));
    registry.put(status("acme", "d1", State.INDEXED, 2));

    assertThat(registry.get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 2));
    assertThat(registry.countByState().get(State.INDEXED)).isEqualTo(1);
  }

  @Test
  void countsDocumentsPerStateAcrossTenants() {
    assertThat(registry.countByState()).containsOnlyKeys(State.values()).doesNotContainValue(1L);
    registry.put(status("acme", "d1", State.INDEXED, 1));
    registry.put(status("beta", "d1", State.INDEXED, 1));
    registry.put(status("acme", "d2", State.DELETED, 1));
    registry.put(status("acme", "d3", State.PENDING, 1));

    assertThat(registry.countByState())
        .isEqualTo(Map.of(State.PENDING, 1L, State.INDEXED, 2L, State.DELETED, 1L, State.FAILED, 0L));
  }

  @Test
  void aReadOnlyInstanceSeesCommittedStatuses() {
    try (LuceneDocumentRegistry reader = LuceneDocumentRegistry.openReadOnly(dir.resolve("documents"))) {
      registry.put(status("acme", "d1", State.INDEXED, 4));
      assertThat(reader.get("acme", "d1")).isEmpty();

      registry.commit();
      reader.refresh();

      assertThat(reader.get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 4));
      assertThatThrownBy(() -> reader.put(status("acme", "d2", State.PENDING, 1)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
