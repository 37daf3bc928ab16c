package dev.sluice.index.backend;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.VectorIndex;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An opened vector index with its document registry, and whatever connection they share. Closing
 * it closes all of them (the index first, so a Lucene writer commits before its directory goes).
 *
 * @param description which backend and where, for logs and error messages
 */
public record OpenIndex(VectorIndex index, DocumentRegistry registry, String description, List<AutoCloseable> resources)
    implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenIndex.class);

  public OpenIndex {
    resources = List.copyOf(resources);
  }

  @Override
  public void close() {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} of {} failed", resource, description, e);
      }
    }
  }
}
