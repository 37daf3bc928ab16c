package dev.sluice.index.lucene;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * The embedded {@link DocumentRegistry}: a small Lucene directory of its own ({@link
 * IndexLayout#documents}) with one document per (tenant, docId). Same modes as {@link
 * LuceneVectorIndex}: writable in the index-worker, read-only in query processes, which see each
 * {@link #commit} within about half a second. Thread-safe.
 */
public final class LuceneDocumentRegistry implements DocumentRegistry {

  private final LuceneStore store;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LuceneDocumentRegistry(LuceneStore store) {
    this.store = store;
  }

  /**
   * Opens, creating it if absent, the registry in {@code dir} for writing.
   *
   * @throws IllegalStateException if another process has it open for writing
   */
  public static LuceneDocumentRegistry openWritable(Path dir) {
    return new LuceneDocumentRegistry(WritableStore.open(dir, new IndexWriterConfig()));
  }

  /** Opens the registry in {@code dir} for reading only; empty until the writer's first commit. */
  public static LuceneDocumentRegistry openReadOnly(Path dir) {
    return new LuceneDocumentRegistry(ReadOnlyStore.open(dir, LuceneVectorIndex.READ_ONLY_POLL));
  }

  @Override
  public void put(DocumentStatus status) {
    store.checkWritable();
    store.update(StatusDocuments.key(status.tenant(), status.docId()), StatusDocuments.toDocument(status));
  }

  @Override
  public Optional<DocumentStatus> get(String tenant, String docId) {
    return store.readOwnWrites(
        s -> {
          ScoreDoc[] hits = s.search(new TermQuery(StatusDocuments.key(tenant, docId)), 1).scoreDocs;
          return hits.length == 0
              ? Optional.<DocumentStatus>empty()
              : Optional.of(StatusDocuments.toStatus(s.storedFields().document(hits[0].doc)));
        },
        Optional.empty());
  }

  /** Every state is present, zero when no document is in it. */
  @Override
  public Map<DocumentStatus.State, Long> countByState() {
    return countWhere(Optional.empty());
  }

  @Override
  public Map<DocumentStatus.State, Long> countByState(String tenant) {
    return countWhere(Optional.of(new TermQuery(new Term(StatusDocuments.TENANT, tenant))));
  }

  private Map<DocumentStatus.State, Long> countWhere(Optional<Query> scope) {
    return store.readOwnWrites(
        s -> {
          Map<DocumentStatus.State, Long> counts = new EnumMap<>(DocumentStatus.State.class);
          for (DocumentStatus.State state : DocumentStatus.State.values()) {
            BooleanQuery.Builder query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(StatusDocuments.STATE, state.name())), BooleanClause.Occur.FILTER);
            scope.ifPresent(q -> query.add(q, BooleanClause.Occur.FILTER));
            counts.put(state, (long) s.count(query.build()));
          }
          return Map.copyOf(counts);
        },
        emptyCounts());
  }

  @Override
  public void commit() {
    store.checkWritable();
    store.commit(Map.of());
  }

  /** Blocks until every write so far is visible; on a read-only instance, looks for a commit now. */
  public void refresh() {
    store.refresh();
  }

  /** Commits (when writable) and releases the directory. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try (store) {
        if (store.isWritable()) {
          commit();
        }
      }
    }
  }

  private static Map<DocumentStatus.State, Long> emptyCounts() {
    Map<DocumentStatus.State, Long> counts = new EnumMap<>(DocumentStatus.State.class);
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      counts.put(state, 0L);
    }
    return Map.copyOf(counts);
  }
}
