package dev.sluice.index.lucene;

import dev.sluice.index.CollectionSpec.Metric;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointChecks;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.ScoreDoc;

/**
 * Knows the model, dimension and metric of a collection and refuses points that do not fit: a
 * mixed-model index is impossible by construction (docs/contracts.md, "One model per collection"). A collection created
 * through {@link LuceneCollections} knows all three from the start (they are in its commit user
 * data); an index created implicitly takes them from its first point, with the cosine metric.
 */
final class CollectionGuard {

  // Commit user-data keys: let a reader learn the collection's identity even when it has no point.
  static final String MODEL_KEY = "sluice.modelId";
  static final String DIMENSION_KEY = "sluice.dimension";
  static final String METRIC_KEY = "sluice.metric";

  /** What the index itself says: commit user data first, else any stored point. */
  record Stored(Optional<String> model, OptionalInt dimension, Optional<Metric> metric) {
    static final Stored NONE = new Stored(Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  private final Supplier<Stored> stored;
  private final AtomicReference<String> model = new AtomicReference<>();
  private final AtomicInteger dimension = new AtomicInteger();
  private final AtomicReference<Metric> metric = new AtomicReference<>();

  /** {@code stored} looks the identity up in the index; it is asked until it finds it. */
  CollectionGuard(Supplier<Stored> stored) {
    this.stored = stored;
  }

  Optional<String> model() {
    learn();
    return Optional.ofNullable(model.get());
  }

  OptionalInt dimension() {
    learn();
    int known = dimension.get();
    return known == 0 ? OptionalInt.empty() : OptionalInt.of(known);
  }

  Metric metric() {
    learn();
    Metric known = metric.get();
    return known == null ? Metric.COSINE : known;
  }

  VectorSimilarityFunction similarity() {
    return switch (metric()) {
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT -> VectorSimilarityFunction.DOT_PRODUCT;
      case EUCLID -> VectorSimilarityFunction.EUCLIDEAN;
    };
  }

  /** Checks one point without fixing anything. */
  void check(IndexPoint point) {
    PointChecks.check(point, model(), dimension());
  }

  /**
   * Accepts {@code points} if all fit, fixing model and dimension from the first one if the
   * collection has none yet.
   *
   * @throws dev.sluice.index.PointRejectedException naming the first offending point otherwise
   */
  void admit(List<IndexPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    IndexPoint first = points.getFirst();
    Optional<String> expectedModel = model().or(() -> Optional.ofNullable(first.payload().modelId()));
    OptionalInt expectedDimension = dimension();
    if (expectedDimension.isEmpty()) {
      expectedDimension = OptionalInt.of(first.vector().length);
    }
    for (IndexPoint point : points) {
      PointChecks.check(point, expectedModel, expectedDimension);
    }
    model.compareAndSet(null, expectedModel.orElseThrow());
    dimension.compareAndSet(0, expectedDimension.getAsInt());
    metric.compareAndSet(null, metric());
  }

  /** What the next commit records, so a reader knows the identity even with no live point. */
  Map<String, String> commitData() {
    Map<String, String> data = new HashMap<>();
    model().ifPresent(m -> data.put(MODEL_KEY, m));
    dimension().ifPresent(d -> data.put(DIMENSION_KEY, Integer.toString(d)));
    if (!data.isEmpty()) {
      data.put(METRIC_KEY, metric().name());
    }
    return data;
  }

  private void learn() {
    if (model.get() != null && dimension.get() != 0 && metric.get() != null) {
      return;
    }
    Stored found = stored.get();
    found.model().ifPresent(m -> model.compareAndSet(null, m));
    found.dimension().ifPresent(d -> dimension.compareAndSet(0, d));
    found.metric().ifPresent(m -> metric.compareAndSet(null, m));
  }

  /** Reads the identity from commit user data, else from the stored points. */
  static Stored read(IndexSearcher searcher, Map<String, String> commitData) throws IOException {
    Optional<String> model = Optional.ofNullable(commitData.get(MODEL_KEY));
    OptionalInt dimension = Optional.ofNullable(commitData.get(DIMENSION_KEY))
        .map(d -> OptionalInt.of(Integer.parseInt(d))).orElse(OptionalInt.empty());
    Optional<Metric> metric = Optional.ofNullable(commitData.get(METRIC_KEY)).map(Metric::valueOf);
    if (model.isEmpty()) {
      ScoreDoc[] any = searcher.search(new MatchAllDocsQuery(), 1).scoreDocs;
      if (any.length > 0) {
        model = Optional.ofNullable(
            searcher.storedFields().document(any[0].doc, Set.of(PointFields.MODEL_ID)).get(PointFields.MODEL_ID));
      }
    }
    FieldInfo vectors = FieldInfos.getMergedFieldInfos(searcher.getIndexReader()).fieldInfo(PointFields.VECTOR);
    if (vectors != null && vectors.getVectorDimension() > 0) {
      if (dimension.isEmpty()) {
        dimension = OptionalInt.of(vectors.getVectorDimension());
      }
      if (metric.isEmpty()) {
        metric = Optional.of(switch (vectors.getVectorSimilarityFunction()) {
          case DOT_PRODUCT, MAXIMUM_INNER_PRODUCT -> Metric.DOT;
          case EUCLIDEAN -> Metric.EUCLID;
          case COSINE -> Metric.COSINE;
        });
      }
    }
    return new Stored(model, dimension, metric);
  }
}
