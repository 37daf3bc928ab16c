package dev.sluice.cli.chaos;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentVersions;
import dev.sluice.index.PointPayload;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one run's Lucene index holds for one tenant, per document, reduced to what must not depend on
 * timing: each point's id, document version and deleted and staged flags, how many extra copies of a
 * point id are stored, and the document status (state, version, chunk count, failure stage and
 * reason, pending stage, searchable version; not timestamps, and not failure messages, which name
 * run-specific paths). Read with the read-only Lucene adapter after the services have stopped.
 *
 * @param documents every document of the workload, and any other document the index has points of
 * @param visiblePoints points neither deleted nor staged, all tenants
 */
record IndexSnapshot(SortedMap<String, DocumentState> documents, long visiblePoints) {

  /** One point as the comparison sees it. */
  record Point(long docVersion, boolean deleted, boolean staged) {
    @Override
    public String toString() {
      return "v" + docVersion + (deleted ? " deleted" : "") + (staged ? " staged" : "");
    }
  }

  /**
   * A document's status as the comparison sees it.
   *
   * @param failure "stage/reason", or empty
   * @param pendingStage for a pending document, the stage its version is in; else empty
   * @param searchableVersion the version search returns, or -1 when none
   */
  record Status(String state, long version, int chunks, String failure, String pendingStage, long searchableVersion) {
    @Override
    public String toString() {
      return state + " v" + version + " " + chunks + " chunks" + (failure.isEmpty() ? "" : " (" + failure + ")")
          + (pendingStage.isEmpty() ? "" : " in " + pendingStage) + (searchableVersion < 0 ? ", none searchable" : ", v" + searchableVersion + " searchable");
    }
  }

  /**
   * One document.
   *
   * @param status absent when the registry has none
   * @param points by point id
   * @param extraCopies stored points beyond one per point id: each is a duplicate
   */
  record DocumentState(Optional<Status> status, SortedMap<String, Point> points, int extraCopies) {
    static final DocumentState ABSENT = new DocumentState(Optional.empty(), Collections.emptySortedMap(), 0);
  }

  IndexSnapshot {
    documents = Collections.unmodifiableSortedMap(new TreeMap<>(documents));
  }

  /** Stored points, duplicates included. */
  long storedPoints() {
    return documents.values().stream().mapToLong(d -> d.points().size() + d.extraCopies()).sum();
  }

  /**
   * Reads the index under {@code indexDir} (as {@link IndexLayout} lays it out) read-only.
   *
   * @param docIds documents to include even when the index has no trace of them
   */
  static IndexSnapshot read(Path indexDir, String tenant, Collection<String> docIds) {
    if (!Files.isDirectory(indexDir)) {
      return new IndexSnapshot(new TreeMap<>(), 0);
    }
    try (LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(IndexLayout.points(indexDir));
        LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(indexDir))) {
      index.refresh();
      registry.refresh();
      SortedSet<String> all = new TreeSet<>(docIds);
      index.documentVersions(tenant).stream().map(DocumentVersions::docId).forEach(all::add);
      SortedMap<String, DocumentState> documents = new TreeMap<>();
      for (String docId : all) {
        SortedMap<String, Point> points = new TreeMap<>();
        int extra = 0;
        for (PointPayload p : index.documentPoints(tenant, docId)) {
          if (points.putIfAbsent(p.chunkId(), new Point(p.docVersion(), p.deleted(), p.staged())) != null) {
            extra++;
          }
        }
        Optional<Status> status = registry.get(tenant, docId).map(IndexSnapshot::status);
        documents.put(docId, new DocumentState(status, Collections.unmodifiableSortedMap(points), extra));
      }
      return new IndexSnapshot(documents, index.count());
    }
  }

  private static Status status(DocumentStatus s) {
    String failure = s.failure().map(f -> f.stage() + "/" + f.reason()).orElse("");
    return new Status(s.state().name().toLowerCase(Locale.ROOT), s.version(), s.chunks(), failure, s.stage().orElse(""),
        s.searchableVersion().orElse(-1L));
  }
}
