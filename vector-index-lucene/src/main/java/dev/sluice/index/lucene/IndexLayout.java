package dev.sluice.index.lucene;

import dev.sluice.index.CollectionSpec;
import java.nio.file.Path;

/**
 * Where the parts of an embedded index live under its root directory; the index-worker writes there
 * and a query service (same JVM or another process) reads there.
 *
 * <pre>
 * root/
 *   aliases.properties   alias=collection, swapped atomically (blue/green)
 *   points/              the default collection (one Lucene directory per collection)
 *   &lt;collection&gt;/        any other collection, e.g. one built for a new model
 *   documents/           the document status registry
 * </pre>
 */
public final class IndexLayout {
  /** The alias (or, before any alias exists, the collection) that services read and write. */
  public static final String POINTS_ALIAS = "points";

  /** The registry's directory: not a collection name. */
  static final String DOCUMENTS = "documents";

  private IndexLayout() {}

  /**
   * The directory of the live points: the collection the {@value #POINTS_ALIAS} alias points at, or
   * {@code root/points} while no such alias exists. Resolved when called, so a process follows an
   * alias swap when it next opens the index.
   */
  public static Path points(Path root) {
    return collection(root, new AliasFile(root).read().getOrDefault(POINTS_ALIAS, POINTS_ALIAS));
  }

  /** The directory of one collection. */
  public static Path collection(Path root, String name) {
    if (DOCUMENTS.equals(CollectionSpec.requireValidName(name))) {
      throw new IllegalArgumentException("'" + DOCUMENTS + "' is reserved for the document registry");
    }
    return root.resolve(name);
  }

  /** The document status registry. */
  public static Path documents(Path root) {
    return root.resolve(DOCUMENTS);
  }
}
