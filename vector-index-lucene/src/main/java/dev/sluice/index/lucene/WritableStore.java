package dev.sluice.index.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * The single writer of a directory, with near-real-time search: a background thread reopens the
 * searcher every {@value #MAX_STALE_MS} ms, so writes are searchable well within a second without a
 * commit, and immediately when a caller waits for its own writes.
 *
 * <p>{@link #inOneStep} is a lock that a searcher reopen (in a refresh listener, on the reopening
 * thread, before it opens the new reader) and a {@link #commit} also take: both capture every write
 * completed so far, so neither can capture part of a step. Lock order: this store's monitor (in
 * {@link #commit}) before the step lock; nothing holding the step lock waits for a reopen.
 */
final class WritableStore implements LuceneStore {

  private static final int MAX_STALE_MS = 200;
  // A waiting caller should not hang forever if the reopen thread died on an I/O error.
  private static final int MAX_WAIT_MS = 30_000;

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  private final AtomicLong lastWrite = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock step = new ReentrantLock();
  private Map<String, String> committed;

  private WritableStore(Path path, IndexWriterConfig config) throws IOException {
    this.path = path;
    this.directory = FSDirectory.open(path);
    IndexWriter opened = null;
    try {
      opened = new IndexWriter(directory, config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
      this.searchers = new SearcherManager(opened, null);
    } catch (IOException | RuntimeException e) {
      // Release the write lock and the directory: the caller gets no instance to close.
      IOUtils.closeWhileHandlingException(opened, directory);
      throw e;
    }
    this.writer = opened;
    this.committed = Map.copyOf(committedData(opened));
    // Before the reopen thread registers its own listener, so that the generation it records as
    // searchable is read once the step lock is held (it would be correct either way, only staler).
    searchers.addListener(new StepBarrier());
    this.reopener = new ControlledRealTimeReopenThread<>(writer, searchers, MAX_STALE_MS / 1000.0, 0.0);
    reopener.setName("sluice-lucene-reopen-" + path.getFileName());
    reopener.setDaemon(true);
    reopener.start();
  }

  private static Map<String, String> committedData(IndexWriter writer) {
    Map<String, String> data = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(entry -> data.put(entry.getKey(), entry.getValue()));
    }
    return data;
  }

  /** Opens (creating if absent) the index at {@code path}; fails if another process writes it. */
  static WritableStore open(Path path, IndexWriterConfig config) {
    try {
      return new WritableStore(path, config);
    } catch (LockObtainFailedException e) {
      throw new IllegalStateException(
          "Lucene index " + path + " is already open for writing (one writer per directory; "
              + "open it read-only to query it from another process)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open Lucene index " + path, e);
    }
  }

  @Override
  public boolean isWritable() {
    return true;
  }

  @Override
  public void checkWritable() {
    // Always writable.
  }

  @Override
  public long update(Term term, Iterable<? extends IndexableField> document) {
    try {
      return recordWrite(writer.updateDocument(term, document));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to Lucene index " + path, e);
    }
  }

  @Override
  public long delete(Query query) {
    try {
      return recordWrite(writer.deleteDocuments(query));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete from Lucene index " + path, e);
    }
  }

  @Override
  public void inOneStep(Runnable writes) {
    step.lock();
    try {
      writes.run();
    } finally {
      step.unlock();
    }
  }

  /**
   * Commits when something changed. Kafka Streams asks every task to commit on each commit interval,
   * and all tasks share this writer: skipping empty commits keeps that to one fsync per interval.
   */
  @Override
  public synchronized void commit(Map<String, String> userData) {
    step.lock();
    try {
      Map<String, String> data = new HashMap<>(committed);
      data.putAll(userData);
      boolean dataChanged = !data.equals(committed);
      if (!dataChanged && !writer.hasUncommittedChanges()) {
        return;
      }
      if (dataChanged) {
        writer.setLiveCommitData(Map.copyOf(data).entrySet());
      }
      writer.commit();
      committed = Map.copyOf(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit Lucene index " + path, e);
    } finally {
      step.unlock();
    }
  }

  @Override
  public synchronized Map<String, String> committedUserData() {
    return committed;
  }

  @Override
  public long visibleGeneration() {
    return reopener.getSearchingGen();
  }

  @Override
  public <T> T read(SearcherFunction<T> read, T whenNoIndex) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return read.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lucene index " + path, e);
    }
  }

  @Override
  public <T> T readOwnWrites(SearcherFunction<T> read, T whenNoIndex) {
    refresh();
    return read(read, whenNoIndex);
  }

  @Override
  public void refresh() {
    if (step.isHeldByCurrentThread()) {
      // The reopen waits for this step to end: waiting for it here would never return.
      throw new IllegalStateException("cannot wait for a reopen of Lucene index " + path + " inside one step");
    }
    long target = lastWrite.get();
    if (target <= reopener.getSearchingGen()) {
      return;
    }
    try {
      if (!reopener.waitForGeneration(target, MAX_WAIT_MS)) {
        throw new IllegalStateException(
            "Lucene index " + path + " did not reopen within " + MAX_WAIT_MS + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Lucene index " + path, e);
    }
  }

  /**
   * Holds a searcher reopen back while a step is under way. ReferenceManager calls both methods on
   * the reopening thread, around opening the new reader, and calls {@code afterRefresh} even when
   * that (or another listener's {@code beforeRefresh}) failed.
   */
  private final class StepBarrier implements ReferenceManager.RefreshListener {
    @Override
    public void beforeRefresh() {
      step.lock();
    }

    @Override
    public void afterRefresh(boolean didRefresh) {
      if (step.isHeldByCurrentThread()) {
        step.unlock();
      }
    }
  }

  private long recordWrite(long sequenceNumber) {
    lastWrite.accumulateAndGet(sequenceNumber, Math::max);
    return sequenceNumber;
  }

  /** Stops the reopen thread and closes the writer, which commits pending writes. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try (directory;
        writer;
        searchers) {
      reopener.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close Lucene index " + path, e);
    }
  }
}
