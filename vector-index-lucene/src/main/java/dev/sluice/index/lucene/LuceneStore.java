package dev.sluice.index.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * One Lucene directory with its searcher lifecycle, writable ({@link WritableStore}) or read-only
 * ({@link ReadOnlyStore}). Shared by the vector index and the document registry so that both have
 * the same visibility and durability rules. Thread-safe. IOExceptions surface as {@link
 * java.io.UncheckedIOException} naming the directory.
 */
interface LuceneStore extends Closeable {

  /** A read against one consistent point-in-time searcher. */
  @FunctionalInterface
  interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Whether this store owns the directory's writer. */
  boolean isWritable();

  /** Throws {@link UnsupportedOperationException} unless this store may write. */
  void checkWritable();

  /**
   * Atomically replaces every document matching {@code term} with {@code document}.
   *
   * @return the sequence number of the write: visible once {@link #visibleGeneration()} reaches it
   */
  long update(Term term, Iterable<? extends IndexableField> document);

  /**
   * Deletes every document matching {@code query}.
   *
   * @return the sequence number of the delete
   */
  long delete(Query query);

  /**
   * Runs {@code writes}, calls to {@link #update} and {@link #delete}, as one step: no searcher is
   * opened and no commit is taken between two of them, so every reader (near-real-time or reading
   * commits) sees all of them or none, and a crash leaves all of them or none. Reopens and commits
   * wait meanwhile, and searches keep the searcher they had, so {@code writes} should be quick.
   * They must not read or wait for the searcher: that would wait for the step itself.
   *
   * @throws UnsupportedOperationException on a read-only store
   */
  void inOneStep(Runnable writes);

  /**
   * Makes every write so far durable, recording {@code userData} in the commit. Does nothing when
   * neither the documents nor the user data changed since the last commit.
   */
  void commit(Map<String, String> userData);

  /** The user data of the last commit (empty before the first). */
  Map<String, String> committedUserData();

  /**
   * Every write with a sequence number up to this one is visible to a searcher acquired after this
   * call returns (0 for a read-only store, which has no writes of its own).
   */
  long visibleGeneration();

  /** Runs {@code read} on the current searcher, at most a fraction of a second stale. */
  <T> T read(SearcherFunction<T> read, T whenNoIndex);

  /** Runs {@code read} on a searcher that reflects every write this store completed. */
  <T> T readOwnWrites(SearcherFunction<T> read, T whenNoIndex);

  /** Blocks until every write so far is visible to {@link #read}. */
  void refresh();

  @Override
  void close();
}
