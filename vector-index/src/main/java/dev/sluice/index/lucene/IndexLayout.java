package dev.sluice.index.lucene;

import java.nio.file.Path;

/**
 * Where the parts of an embedded index live under its root directory; the index-worker writes there
 * and a query service (same JVM or another process) reads there.
 */
public final class IndexLayout {
  private IndexLayout() {}

  /** The points (chunks with vectors and payload). */
  public static Path points(Path root) {
    return root.resolve("points");
  }

  /** The document status registry. */
  public static Path documents(Path root) {
    return root.resolve("documents");
  }
}
