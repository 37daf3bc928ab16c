package dev.sluice.index.lucene;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.VectorIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;

/**
 * The embedded {@link VectorIndex}: one Lucene directory holding, per point, an HNSW vector
 * (cosine, m=16, beam 100), the BM25-indexed chunk text and the whole payload.
 *
 * <p>Open it {@linkplain #openWritable writable} in the one process that indexes (it takes the
 * directory's write lock; search is near-real-time there) or {@linkplain #openReadOnly read-only}
 * in any number of query processes (they see each {@link #commit}, within about half a second).
 * Thread-safe.
 */
public final class LuceneVectorIndex implements VectorIndex {

  /** How often a read-only instance looks for a new commit. */
  public static final Duration READ_ONLY_POLL = Duration.ofMillis(500);

  // Commit user-data key: lets a reader learn the model even when the index has no point left.
  private static final String MODEL_ID_KEY = "sluice.modelId";

  private final LuceneStore store;
  private final Analyzer analyzer;
  private final PointSearch search;
  private final ModelGuard models;
  // Upserts share the lock; a soft delete, which reads points and writes them back, takes it alone.
  private final ReadWriteLock rewrite = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private LuceneVectorIndex(LuceneStore store, Analyzer analyzer) {
    this.store = store;
    this.analyzer = analyzer;
    this.search = new PointSearch(analyzer);
    this.models = new ModelGuard(() -> store.readOwnWrites(s -> ModelGuard.stored(s, MODEL_ID_KEY), Optional.empty()));
  }

  /**
   * Opens, creating it if absent, the index in {@code dir} for writing.
   *
   * @throws IllegalStateException if another process has it open for writing
   */
  public static LuceneVectorIndex openWritable(Path dir) {
    Analyzer analyzer = new StandardAnalyzer();
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setCodec(new HnswCodec());
    return new LuceneVectorIndex(WritableStore.open(dir, config), analyzer);
  }

  /**
   * Opens the index in {@code dir} for search only, beside a writer in another process. Until the
   * writer's first commit it is empty. Writes throw {@link UnsupportedOperationException}.
   */
  public static LuceneVectorIndex openReadOnly(Path dir) {
    return new LuceneVectorIndex(ReadOnlyStore.open(dir, READ_ONLY_POLL), new StandardAnalyzer());
  }

  @Override
  public void upsert(List<IndexPoint> points) {
    store.checkWritable();
    models.check(points);
    rewrite.readLock().lock();
    try {
      points.forEach(point -> store.update(new Term(PointFields.ID, point.id()), PointDocuments.toDocument(point)));
    } finally {
      rewrite.readLock().unlock();
    }
  }

  @Override
  public Set<String> pointIds(String tenant, String docId) {
    return store.readOwnWrites(
        s -> {
          Set<String> ids = new LinkedHashSet<>();
          for (ScoreDoc hit : all(s, PointQueries.document(tenant, docId), Sort.INDEXORDER)) {
            ids.add(s.storedFields().document(hit.doc, Set.of(PointFields.ID)).get(PointFields.ID));
          }
          return Set.copyOf(ids);
        },
        Set.of());
  }

  @Override
  public void deletePoints(String tenant, Collection<String> pointIds) {
    store.checkWritable();
    if (!pointIds.isEmpty()) {
      store.delete(PointQueries.ids(tenant, pointIds));
    }
  }

  @Override
  public long markDeleted(String tenant, String docId, Instant deletedAt) {
    store.checkWritable();
    rewrite.writeLock().lock();
    try {
      List<IndexPoint> live =
          store.readOwnWrites(
              s -> {
                List<IndexPoint> points = new ArrayList<>();
                for (ScoreDoc hit : all(s, PointQueries.liveDocument(tenant, docId), Sort.INDEXORDER)) {
                  points.add(PointDocuments.readPoint(s, hit.doc));
                }
                return points;
              },
              List.of());
      live.forEach(
          point -> store.update(
              new Term(PointFields.ID, point.id()),
              PointDocuments.toDocument(PointDocuments.markedDeleted(point, deletedAt))));
      return live.size();
    } finally {
      rewrite.writeLock().unlock();
    }
  }

  @Override
  public long purgeDeleted(Instant deletedBefore) {
    store.checkWritable();
    Query query = PointQueries.deletedBefore(deletedBefore);
    rewrite.writeLock().lock();
    try {
      long purged = store.readOwnWrites(s -> (long) s.count(query), 0L);
      store.delete(query);
      return purged;
    } finally {
      rewrite.writeLock().unlock();
    }
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    return store.read(s -> search.run(s, request), List.of());
  }

  @Override
  public List<PointPayload> documentPoints(String tenant, String docId) {
    Sort byOrdinal = new Sort(IntField.newSortField(PointFields.ORDINAL, false, SortedNumericSelector.Type.MIN));
    return store.readOwnWrites(
        s -> {
          List<PointPayload> points = new ArrayList<>();
          for (ScoreDoc hit : all(s, PointQueries.document(tenant, docId), byOrdinal)) {
            points.add(PointDocuments.toPayload(s.storedFields().document(hit.doc)));
          }
          return List.copyOf(points);
        },
        List.of());
  }

  @Override
  public long count() {
    return store.readOwnWrites(s -> (long) s.count(PointQueries.live()), 0L);
  }

  @Override
  public Optional<String> modelId() {
    return models.current();
  }

  /** Records the model id in the commit too, so a reader knows it even with no live point. */
  @Override
  public void commit() {
    store.checkWritable();
    store.commit(models.current().map(id -> Map.of(MODEL_ID_KEY, id)).orElse(Map.of()));
  }

  /**
   * Blocks until every write so far is visible to {@link #search} (normally within 200 ms anyway);
   * on a read-only instance, looks for a new commit now. For tests and tools that need
   * read-your-writes search.
   */
  public void refresh() {
    store.refresh();
  }

  /** Commits (when writable) and releases the directory. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try (analyzer;
        store) {
      if (store.isWritable()) {
        commit();
      }
    }
  }

  // Every match, for per-document lookups: a document has at most a few thousand points.
  private static ScoreDoc[] all(IndexSearcher s, Query query, Sort sort) throws IOException {
    int n = Math.max(1, s.count(query));
    return s.search(query, n, sort).scoreDocs;
  }
}
