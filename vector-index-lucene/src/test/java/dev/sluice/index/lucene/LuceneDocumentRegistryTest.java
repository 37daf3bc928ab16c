package dev.sluice.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentRegistryContract;
import dev.sluice.index.DocumentStatus.State;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on the embedded registry (which reads its own writes, so no refresh is needed),
 * plus what only the embedded one has: a read-only instance in another process.
 */
class LuceneDocumentRegistryTest extends DocumentRegistryContract {

  @TempDir Path dir;

  @Override
  protected DocumentRegistry open() {
    return LuceneDocumentRegistry.openWritable(dir.resolve("documents"));
  }

  @Test
  void aReadOnlyInstanceSeesCommittedStatuses() {
    try (LuceneDocumentRegistry reader = LuceneDocumentRegistry.openReadOnly(dir.resolve("documents"))) {
      registry().put(status("acme", "d1", State.INDEXED, 4));
      assertThat(reader.get("acme", "d1")).isEmpty();

      registry().commit();
      reader.refresh();

      assertThat(reader.get("acme", "d1")).contains(status("acme", "d1", State.INDEXED, 4));
      assertThatThrownBy(() -> reader.put(status("acme", "d2", State.PENDING, 1)))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
