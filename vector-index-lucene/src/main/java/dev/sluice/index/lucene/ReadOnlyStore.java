package dev.sluice.index.lucene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader of a directory another process writes: it sees commits, polled every {@code interval}
 * (a reopen only happens when the commit changed). Before the first commit exists, reads see an
 * empty index. Takes no lock, so any number of readers can run beside the writer.
 */
final class ReadOnlyStore implements LuceneStore {

  private static final Logger log = LoggerFactory.getLogger(ReadOnlyStore.class);

  private final Path path;
  private final Directory directory;
  private final AtomicReference<SearcherManager> searchers = new AtomicReference<>();
  private final ScheduledExecutorService poller;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReadOnlyStore(Path path, Duration interval) throws IOException {
    this.path = path;
    this.directory = FSDirectory.open(path);
    poll();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "sluice-lucene-poll-" + path.getFileName());
              thread.setDaemon(true);
              return thread;
            });
    poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens the index at {@code path} for reading, whether or not a writer has committed yet. */
  static ReadOnlyStore open(Path path, Duration interval) {
    try {
      return new ReadOnlyStore(path, interval);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open Lucene index " + path + " read-only", e);
    }
  }

  // Runs on the poller thread only (and once in the constructor), so the manager is set once.
  private void poll() {
    try {
      SearcherManager current = searchers.get();
      if (current != null) {
        current.maybeRefresh();
      } else if (DirectoryReader.indexExists(directory)) {
        searchers.set(new SearcherManager(directory, null));
      }
    } catch (IOException | RuntimeException e) {
      // Keep serving the last good view; the next poll retries.
      log.warn("cannot refresh read-only Lucene index {}", path, e);
    }
  }

  @Override
  public boolean isWritable() {
    return false;
  }

  @Override
  public void checkWritable() {
    throw new UnsupportedOperationException(
        "Lucene index " + path + " is open read-only; writes go through the writable instance "
            + "(the index-worker), this one only sees its commits");
  }

  @Override
  public long update(Term term, Iterable<? extends IndexableField> document) {
    checkWritable();
    return 0;
  }

  @Override
  public long delete(Query query) {
    checkWritable();
    return 0;
  }

  @Override
  public void inOneStep(Runnable writes) {
    checkWritable();
  }

  @Override
  public void commit(Map<String, String> userData) {
    checkWritable();
  }

  @Override
  public Map<String, String> committedUserData() {
    return read(
        s -> s.getIndexReader() instanceof DirectoryReader reader ? reader.getIndexCommit().getUserData() : Map.<String, String>of(),
        Map.of());
  }

  @Override
  public long visibleGeneration() {
    return 0;
  }

  @Override
  public <T> T read(SearcherFunction<T> read, T whenNoIndex) {
    if (closed.get()) {
      throw new IllegalStateException("Lucene index " + path + " is closed");
    }
    SearcherManager manager = searchers.get();
    if (manager == null) {
      return whenNoIndex;
    }
    try {
      IndexSearcher searcher = manager.acquire();
      try {
        return read.apply(searcher);
      } finally {
        manager.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lucene index " + path, e);
    }
  }

  /** A reader has no writes of its own: the same as {@link #read}. */
  @Override
  public <T> T readOwnWrites(SearcherFunction<T> read, T whenNoIndex) {
    return read(read, whenNoIndex);
  }

  /** Polls now rather than at the next interval. */
  @Override
  public void refresh() {
    try {
      poller.submit(this::poll).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while refreshing Lucene index " + path, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot refresh Lucene index " + path, e.getCause());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // shutdown, not shutdownNow: interrupting a poll mid-read could close the channel under it.
    poller.shutdown();
    try {
      poller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (directory) {
      SearcherManager manager = searchers.getAndSet(null);
      if (manager != null) {
        manager.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close Lucene index " + path, e);
    }
  }
}
