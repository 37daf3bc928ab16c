package dev.sluice.index.lucene;

import dev.sluice.index.IndexPoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;

/**
 * Knows the model id of an index and refuses points of any other model: a mixed-model index is
 * impossible by construction (MISSION.md, behaviour 6). The first upserted point fixes the model.
 */
final class ModelGuard {

  private final Supplier<Optional<String>> stored;
  private final AtomicReference<String> model = new AtomicReference<>();

  /** {@code stored} looks the model id up in the index; it is asked until it finds one. */
  ModelGuard(Supplier<Optional<String>> stored) {
    this.stored = stored;
  }

  Optional<String> current() {
    String known = model.get();
    if (known == null) {
      stored.get().ifPresent(found -> model.compareAndSet(null, found));
      known = model.get();
    }
    return Optional.ofNullable(known);
  }

  /**
   * Accepts {@code points} if all carry the index's model id, fixing it if the index has none yet.
   *
   * @throws IllegalArgumentException naming the first offending point otherwise
   */
  void check(List<IndexPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    String batchModel = points.getFirst().payload().modelId();
    if (batchModel == null) {
      throw new IllegalArgumentException("point " + points.getFirst().id() + " has no model id");
    }
    if (current().isEmpty()) {
      model.compareAndSet(null, batchModel);
    }
    String expected = model.get();
    for (IndexPoint point : points) {
      if (!expected.equals(point.payload().modelId())) {
        throw new IllegalArgumentException(
            "point " + point.id() + " was embedded by model '" + point.payload().modelId()
                + "' but this index holds vectors of model '" + expected
                + "'; a mixed-model index is refused (re-embed into a new index instead)");
      }
    }
  }

  /** The model id recorded in the last commit, or else on any point. */
  static Optional<String> stored(IndexSearcher searcher, String commitKey) throws IOException {
    if (searcher.getIndexReader() instanceof DirectoryReader reader) {
      String committed = reader.getIndexCommit().getUserData().get(commitKey);
      if (committed != null) {
        return Optional.of(committed);
      }
    }
    ScoreDoc[] any = searcher.search(new MatchAllDocsQuery(), 1).scoreDocs;
    if (any.length == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        searcher.storedFields().document(any[0].doc, Set.of(PointFields.MODEL_ID)).get(PointFields.MODEL_ID));
  }
}
