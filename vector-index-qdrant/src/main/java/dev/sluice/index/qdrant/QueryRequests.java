package dev.sluice.index.qdrant;

import static dev.sluice.index.qdrant.CollectionRequests.DENSE;
import static dev.sluice.index.qdrant.CollectionRequests.KEYWORD;

import dev.sluice.index.SearchRequest;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.SearchParams;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Builds the search requests: dense (HNSW on the named dense vector), keyword (the sparse BM25
 * vector) and hybrid. A hybrid search is fused in Sluice by {@link ScoreFusion}, as the Lucene
 * adapter fuses it, because no server-side fusion of Qdrant is that fusion: one batch request asks
 * for both rankings (ids and scores only), {@link #fuse} fuses them, and a second request fetches
 * the payloads of the fused top K. The caller's visibility filter is on every request, the payload
 * fetch included, so a point that left it between the two requests is dropped, never shown.
 */
final class QueryRequests {

  /**
   * How deep each hybrid ranking goes (unless topK is deeper): the Lucene adapter's depth, so that
   * both normalise their rankings over the same candidates.
   */
  static final int HYBRID_CANDIDATES = 200;

  private final KeywordVectors keywords;
  private final QdrantOptions options;

  QueryRequests(KeywordVectors keywords, QdrantOptions options) {
    this.keywords = keywords;
    this.options = options;
  }

  /**
   * The request for a dense or keyword search, or empty when it cannot match anything (keyword
   * search without terms).
   *
   * @throws IllegalArgumentException for a hybrid search, which takes {@link #hybridRankings}
   */
  Optional<QueryPoints> build(String collection, SearchRequest request) {
    QueryPoints.Builder query = QueryPoints.newBuilder()
        .setCollectionName(collection)
        .setFilter(QdrantFilters.visibleTo(request.scope(), request.filters()))
        .setLimit(request.topK())
        .setWithPayload(WithPayloadSelectorFactory.enable(true));
    switch (request.mode()) {
      case DENSE -> query.setQuery(QueryFactory.nearest(request.vector())).setUsing(DENSE).setParams(params(request.topK()));
      case KEYWORD -> {
        KeywordVectors.Sparse terms = keywords.query(request.text());
        if (terms.isEmpty()) {
          return Optional.empty();
        }
        query.setQuery(QueryFactory.nearest(terms.values(), terms.indices())).setUsing(KEYWORD);
      }
      case HYBRID -> throw new IllegalArgumentException("a hybrid search takes hybridRankings, fuse and hybridPayloads");
    }
    return Optional.of(query.build());
  }

  /**
   * The rankings a hybrid search fuses, for one batch request, without payloads: the dense one, and
   * the keyword one when the text holds a term.
   */
  List<QueryPoints> hybridRankings(String collection, SearchRequest request) {
    Filter visible = QdrantFilters.visibleTo(request.scope(), request.filters());
    int candidates = Math.max(request.topK(), HYBRID_CANDIDATES);
    List<QueryPoints> rankings = new ArrayList<>(2);
    rankings.add(QueryPoints.newBuilder().setCollectionName(collection).setFilter(visible).setLimit(candidates)
        .setWithPayload(WithPayloadSelectorFactory.enable(false))
        .setQuery(QueryFactory.nearest(request.vector())).setUsing(DENSE).setParams(params(candidates)).build());
    KeywordVectors.Sparse terms = keywords.query(request.text());
    if (!terms.isEmpty()) {
      rankings.add(QueryPoints.newBuilder().setCollectionName(collection).setFilter(visible).setLimit(candidates)
          .setWithPayload(WithPayloadSelectorFactory.enable(false))
          .setQuery(QueryFactory.nearest(terms.values(), terms.indices())).setUsing(KEYWORD).build());
    }
    return rankings;
  }

  /**
   * The fused top {@code topK} of the results of {@link #hybridRankings}, in that order, best first.
   * The dense ranking holds every visible point up to the depth: the candidate set. A point the
   * keyword ranking lacks among them has no query term, a BM25 score of 0.
   */
  static List<ScoreFusion.Fused<PointId>> fuse(List<List<ScoredPoint>> results, int topK) {
    List<ScoreFusion.Scored<PointId>> dense = scored(results.getFirst());
    List<ScoreFusion.Ranking<PointId>> rankings = new ArrayList<>(2);
    rankings.add(ScoreFusion.Ranking.of(dense, ScoreFusion.DENSE_WEIGHT));
    if (results.size() > 1) {
      List<ScoreFusion.Scored<PointId>> keyword = scored(results.get(1));
      rankings.add(new ScoreFusion.Ranking<>(keyword, ScoreFusion.KEYWORD_WEIGHT, Math.max(keyword.size(), dense.size())));
    }
    return ScoreFusion.fuse(rankings, topK);
  }

  /** The payloads of the fused hits {@code ids}: one page, in any order, under the caller's filter again. */
  static ScrollPoints hybridPayloads(String collection, SearchRequest request, Collection<PointId> ids) {
    Filter visible = QdrantFilters.visibleTo(request.scope(), request.filters()).toBuilder()
        .addMust(ConditionFactory.hasId(List.copyOf(ids))).build();
    return PointRequests.scroll(collection, visible, Optional.empty(), ids.size(), List.of(), false);
  }

  private static List<ScoreFusion.Scored<PointId>> scored(List<ScoredPoint> ranking) {
    return ranking.stream().map(p -> new ScoreFusion.Scored<>(p.getId(), (double) p.getScore())).toList();
  }

  private SearchParams params(int candidates) {
    return SearchParams.newBuilder().setHnswEf(Math.max(options.searchEf(), candidates)).build();
  }
}
