package dev.sluice.index.lucene;

import dev.sluice.index.CollectionSpec;
import dev.sluice.index.DocumentVersions;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointChecks;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchHit;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;

/**
 * The embedded {@link VectorIndex}: one Lucene directory per collection holding, per point, an HNSW
 * vector (m=16, beam 100), the BM25-indexed chunk text and title and the whole payload.
 *
 * <p>Open it {@linkplain #openWritable writable} in the one process that indexes (it takes the
 * directory's write lock; search is near-real-time there, within 200 ms of a write) or {@linkplain
 * #openReadOnly read-only} in any number of query processes (they see each {@link #commit}, within
 * about half a second). Durability follows {@link #commit}, which the index-worker drives from Kafka's
 * commits, so what a crash can lose is bounded by the commit interval and is replayed from Kafka.
 *
 * <p>Thread-safe. Writes are serialised by one lock (a write that depends on what is stored, such
 * as a version-guarded upsert or a soft delete, reads and writes under it); searches never take it.
 *
 * <p>{@link #publish} is one step for every reader: its writes run in {@link LuceneStore#inOneStep},
 * which no searcher reopen and no commit can split, so a search here, a read-only instance (which
 * sees commits) and the index after a crash all hold the whole publish or none of it.
 */
public final class LuceneVectorIndex implements VectorIndex {

  /** How often a read-only instance looks for a new commit. */
  public static final Duration READ_ONLY_POLL = Duration.ofMillis(500);

  private static final Sort BY_ORDINAL =
      new Sort(IntField.newSortField(PointFields.ORDINAL, false, SortedNumericSelector.Type.MIN));

  private final LuceneStore store;
  private final Analyzer analyzer;
  private final PointSearch search;
  private final CollectionGuard collection;
  private final LiveVersions recent = new LiveVersions();
  private final ReentrantLock writes = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private LuceneVectorIndex(LuceneStore store, Analyzer analyzer) {
    this.store = store;
    this.analyzer = analyzer;
    this.search = new PointSearch(analyzer);
    this.collection = new CollectionGuard(() -> store.readOwnWrites(
        s -> CollectionGuard.read(s, store.committedUserData()), CollectionGuard.Stored.NONE));
  }

  /**
   * Opens, creating it if absent, the collection in {@code dir} for writing. A collection created by
   * {@link LuceneCollections} knows its model, dimension and metric; one created here takes model and
   * dimension from its first point, with the cosine metric.
   *
   * @throws IllegalStateException if another process has it open for writing
   */
  public static LuceneVectorIndex openWritable(Path dir) {
    Analyzer analyzer = analyzer();
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setCodec(new HnswCodec());
    return new LuceneVectorIndex(WritableStore.open(dir, config), analyzer);
  }

  /**
   * Opens the collection in {@code dir} for search only, beside a writer in another process. Until
   * the writer's first commit it is empty. Writes throw {@link UnsupportedOperationException}.
   */
  public static LuceneVectorIndex openReadOnly(Path dir) {
    return new LuceneVectorIndex(ReadOnlyStore.open(dir, READ_ONLY_POLL), analyzer());
  }

  /** Keyword analysis per field, as {@link KeywordAnalysis} describes, for writes and queries alike. */
  private static Analyzer analyzer() {
    return KeywordAnalysis.perField();
  }

  /** Creates the empty collection {@code spec} describes in {@code dir}; used by {@link LuceneCollections}. */
  static void create(Path dir, CollectionSpec spec) {
    try (LuceneStore created = WritableStore.open(dir, new IndexWriterConfig().setCodec(new HnswCodec()))) {
      created.commit(Map.of(
          CollectionGuard.MODEL_KEY, spec.modelId(),
          CollectionGuard.DIMENSION_KEY, Integer.toString(spec.dimension()),
          CollectionGuard.METRIC_KEY, spec.metric().name()));
    }
  }

  @Override
  public void validate(IndexPoint point) {
    collection.check(point);
  }

  @Override
  public void upsert(List<IndexPoint> points) {
    store.checkWritable();
    if (points.isEmpty()) {
      return;
    }
    writes.lock();
    try {
      collection.admit(points);
      long visible = store.visibleGeneration();
      Map<String, LiveVersions.Stored> stored = storedPoints(points.stream().map(IndexPoint::id).toList(), visible);
      for (IndexPoint point : points) {
        LiveVersions.Stored current = stored.get(point.id());
        if (current != null && keeps(current, point.payload())) {
          continue;
        }
        write(point);
        // A batch may hold one id twice; the later entry must compare with the earlier one.
        stored.put(point.id(), LiveVersions.Stored.of(point.payload()));
      }
      recent.prune(visible);
    } finally {
      writes.unlock();
    }
  }

  @Override
  public void setPayload(String tenant, Map<String, PointPayload> payloads) {
    store.checkWritable();
    if (payloads.isEmpty()) {
      return;
    }
    payloads.forEach(PointChecks::checkPayload);
    rewrite(PointQueries.ids(tenant, payloads.keySet()), point -> {
      PointPayload updated = payloads.get(point.id());
      PointChecks.checkSamePoint(point.id(), point.payload(), updated);
      return updated.docVersion() < point.payload().docVersion() ? null : new IndexPoint(point.id(), point.vector(), updated);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the points to publish (vectors included) first, then writes them and deletes the
   * retired ones in one {@linkplain LuceneStore#inOneStep step}. A payload equal to the stored one
   * is not rewritten, so replaying a publish costs no re-indexing.
   */
  @Override
  public void publish(String tenant, Map<String, PointPayload> visible, Collection<String> retired) {
    store.checkWritable();
    visible.forEach(PointChecks::checkPublishable);
    if (visible.isEmpty() && retired.isEmpty()) {
      return;
    }
    writes.lock();
    try {
      // Read before the step: this read waits for a reopen, and a reopen waits for the step.
      List<IndexPoint> published = visible.isEmpty() ? List.of() : changes(PointQueries.ids(tenant, visible.keySet()),
          point -> {
            PointPayload updated = visible.get(point.id());
            PointChecks.checkSamePoint(point.id(), point.payload(), updated);
            boolean older = updated.docVersion() < point.payload().docVersion();
            return older || updated.equals(point.payload()) ? null : new IndexPoint(point.id(), point.vector(), updated);
          });
      // Learn the collection's identity before the step: on a freshly opened index that reads, and a
      // read waits for a reopen, which a step refuses (a restarted worker's first publish stalled).
      collection.similarity();
      store.inOneStep(() -> {
        published.forEach(this::write);
        if (!retired.isEmpty()) {
          long sequence = store.delete(PointQueries.ids(tenant, retired));
          retired.forEach(id -> recent.put(id, sequence, LiveVersions.ABSENT));
        }
      });
    } finally {
      writes.unlock();
    }
  }

  @Override
  public Set<String> pointIds(String tenant, String docId) {
    return store.readOwnWrites(
        s -> {
          Set<String> ids = new LinkedHashSet<>();
          StoredFields stored = s.storedFields();
          for (ScoreDoc hit : all(s, PointQueries.document(tenant, docId), Sort.INDEXORDER)) {
            ids.add(stored.document(hit.doc, Set.of(PointFields.ID)).get(PointFields.ID));
          }
          return Set.copyOf(ids);
        },
        Set.of());
  }

  @Override
  public List<PointPayload> documentPoints(String tenant, String docId) {
    return store.readOwnWrites(
        s -> {
          List<PointPayload> points = new ArrayList<>();
          StoredFields stored = s.storedFields();
          for (ScoreDoc hit : all(s, PointQueries.document(tenant, docId), BY_ORDINAL)) {
            points.add(PointDocuments.toPayload(stored.document(hit.doc)));
          }
          return List.copyOf(points);
        },
        List.of());
  }

  /** A soft-deleted point counts as deleted whether or not it is also staged. */
  @Override
  public List<DocumentVersions> documentVersions(String tenant) {
    Set<String> fields = Set.of(PointFields.DOC_ID, PointFields.DOC_VERSION, PointFields.DELETED, PointFields.STAGED);
    return store.readOwnWrites(
        s -> {
          Map<String, Map<Long, Integer>> live = new TreeMap<>();
          Map<String, Integer> deleted = new HashMap<>();
          Map<String, Integer> staged = new HashMap<>();
          StoredFields stored = s.storedFields();
          for (ScoreDoc hit : all(s, PointQueries.tenant(tenant), Sort.INDEXORDER)) {
            Document doc = stored.document(hit.doc, fields);
            String docId = doc.get(PointFields.DOC_ID);
            live.computeIfAbsent(docId, d -> new TreeMap<>());
            if (PointFields.TRUE.equals(doc.get(PointFields.DELETED))) {
              deleted.merge(docId, 1, Integer::sum);
            } else if (PointFields.TRUE.equals(doc.get(PointFields.STAGED))) {
              staged.merge(docId, 1, Integer::sum);
            } else {
              live.get(docId).merge(doc.getField(PointFields.DOC_VERSION).numericValue().longValue(), 1, Integer::sum);
            }
          }
          List<DocumentVersions> versions = new ArrayList<>(live.size());
          live.forEach((docId, byVersion) -> versions.add(new DocumentVersions(
              tenant, docId, new TreeMap<>(byVersion), deleted.getOrDefault(docId, 0), staged.getOrDefault(docId, 0))));
          return List.copyOf(versions);
        },
        List.of());
  }

  @Override
  public void deletePoints(String tenant, Collection<String> pointIds) {
    store.checkWritable();
    if (pointIds.isEmpty()) {
      return;
    }
    writes.lock();
    try {
      long sequence = store.delete(PointQueries.ids(tenant, pointIds));
      // Point ids are name-based UUIDs of (tenant, document, content): an id is never another tenant's.
      pointIds.forEach(id -> recent.put(id, sequence, LiveVersions.ABSENT));
    } finally {
      writes.unlock();
    }
  }

  @Override
  public long markDeleted(String tenant, String docId, Instant deletedAt) {
    store.checkWritable();
    return rewrite(PointQueries.liveDocument(tenant, docId),
        point -> new IndexPoint(point.id(), point.vector(), point.payload().markedDeleted(deletedAt)));
  }

  @Override
  public long undelete(String tenant, String docId) {
    store.checkWritable();
    return rewrite(PointQueries.deletedDocument(tenant, docId),
        point -> new IndexPoint(point.id(), point.vector(), point.payload().restored()));
  }

  @Override
  public long purgeDeleted(Instant deletedBefore) {
    store.checkWritable();
    Query query = PointQueries.purgeable(deletedBefore);
    writes.lock();
    try {
      List<String> ids = store.readOwnWrites(s -> {
        List<String> found = new ArrayList<>();
        StoredFields stored = s.storedFields();
        for (ScoreDoc hit : all(s, query, Sort.INDEXORDER)) {
          found.add(stored.document(hit.doc, Set.of(PointFields.ID)).get(PointFields.ID));
        }
        return found;
      }, List.of());
      if (ids.isEmpty()) {
        return 0;
      }
      long sequence = store.delete(query);
      ids.forEach(id -> recent.put(id, sequence, LiveVersions.ABSENT));
      return ids.size();
    } finally {
      writes.unlock();
    }
  }

  @Override
  public List<SearchHit> search(SearchRequest request) {
    return store.read(s -> search.run(s, request), List.of());
  }

  @Override
  public long count() {
    return store.readOwnWrites(s -> (long) s.count(PointQueries.visible()), 0L);
  }

  @Override
  public long count(String tenant) {
    return store.readOwnWrites(s -> (long) s.count(PointQueries.visible(tenant)), 0L);
  }

  @Override
  public Optional<String> modelId() {
    return collection.model();
  }

  @Override
  public OptionalInt dimension() {
    return collection.dimension();
  }

  /** Records the collection's identity in the commit too, so a reader knows it with no live point. */
  @Override
  public void commit() {
    store.checkWritable();
    store.commit(collection.commitData());
  }

  /**
   * Blocks until every write so far is visible to {@link #search} (normally within 200 ms anyway);
   * on a read-only instance, looks for a new commit now. For tests and tools that need
   * read-your-writes search.
   */
  public void refresh() {
    store.refresh();
  }

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

  // Caller holds the write lock.
  private void write(IndexPoint point) {
    long sequence = store.update(new Term(PointFields.ID, point.id()), PointDocuments.toDocument(point, collection.similarity()));
    recent.put(point.id(), sequence, LiveVersions.Stored.of(point.payload()));
  }

  /**
   * Whether an upsert of {@code incoming} leaves the stored point as it is: a newer version is
   * stored, or {@code incoming} is staged and the stored point visible (the same content, since ids
   * derive from it; publishing the new version moves it to that version).
   */
  private static boolean keeps(LiveVersions.Stored stored, PointPayload incoming) {
    return stored.docVersion() > incoming.docVersion() || (incoming.staged() && stored.visible());
  }

  /** Stored points among {@code ids}: recent writes first, else the searcher. Caller holds the lock. */
  private Map<String, LiveVersions.Stored> storedPoints(List<String> ids, long visible) {
    Map<String, LiveVersions.Stored> versions = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String id : ids) {
      LiveVersions.Stored latest = recent.recent(id, visible);
      if (latest == null) {
        unknown.add(id);
      } else if (latest != LiveVersions.ABSENT) {
        versions.put(id, latest);
      }
    }
    if (!unknown.isEmpty()) {
      // Acquired after reading 'visible': this searcher reflects every write up to it.
      versions.putAll(store.read(s -> PointDocuments.versions(s, unknown), Map.<String, LiveVersions.Stored>of()));
    }
    return versions;
  }

  /**
   * Reads every point matching {@code query}, vectors included, and writes back what {@code change}
   * returns for it (nothing when it returns null). Under the write lock, so no write slips between.
   *
   * @return the number of points rewritten
   */
  private long rewrite(Query query, UnaryOperator<IndexPoint> change) {
    writes.lock();
    try {
      List<IndexPoint> changed = changes(query, change);
      changed.forEach(this::write);
      return changed.size();
    } finally {
      writes.unlock();
    }
  }

  /**
   * What {@code change} returns for every point matching {@code query}, vectors included, leaving
   * out nulls. Computed whole before anything is written, so a change that throws leaves the index
   * untouched. Caller holds the write lock.
   */
  private List<IndexPoint> changes(Query query, UnaryOperator<IndexPoint> change) {
    List<IndexPoint> points = store.readOwnWrites(s -> {
      List<IndexPoint> found = new ArrayList<>();
      for (ScoreDoc hit : all(s, query, Sort.INDEXORDER)) {
        found.add(PointDocuments.readPoint(s, hit.doc));
      }
      return found;
    }, List.of());
    List<IndexPoint> changed = new ArrayList<>(points.size());
    for (IndexPoint point : points) {
      IndexPoint next = change.apply(point);
      if (next != null) {
        changed.add(next);
      }
    }
    return changed;
  }

  // Every match, for per-document and per-tenant lookups.
  private static ScoreDoc[] all(IndexSearcher s, Query query, Sort sort) throws IOException {
    int n = Math.max(1, s.count(query));
    return s.search(query, n, sort).scoreDocs;
  }
}
