package dev.sluice.index.qdrant;

import static dev.sluice.index.qdrant.CollectionRequests.DENSE;
import static dev.sluice.index.qdrant.CollectionRequests.KEYWORD;

import dev.sluice.index.SearchRequest;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.PrefetchQuery;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.Rrf;
import io.qdrant.client.grpc.Points.SearchParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the search requests: dense (HNSW on the named dense vector), keyword (the sparse BM25
 * vector) and hybrid (both as prefetches, fused by reciprocal rank, k=60, in Qdrant). The caller's
 * visibility filter is on every prefetch and on the fused query, so no stage can see past it.
 */
final class QueryRequests {

  /** The RRF constant of the original paper and of the Lucene adapter. */
  static final int RRF_K = 60;

  // As the Lucene adapter: fuse deeper lists than returned, so points ranked well by both surface.
  static final int MIN_HYBRID_CANDIDATES = 50;
  static final int HYBRID_CANDIDATES_PER_HIT = 4;

  private final KeywordVectors keywords;
  private final QdrantOptions options;

  QueryRequests(KeywordVectors keywords, QdrantOptions options) {
    this.keywords = keywords;
    this.options = options;
  }

  /** The request for {@code request}, or empty when it cannot match anything (keyword search without terms). */
  Optional<QueryPoints> build(String collection, SearchRequest request) {
    Filter visible = QdrantFilters.visibleTo(request.scope(), request.filters());
    QueryPoints.Builder query = QueryPoints.newBuilder()
        .setCollectionName(collection)
        .setFilter(visible)
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
      case HYBRID -> {
        int candidates = Math.max(request.topK() * HYBRID_CANDIDATES_PER_HIT, MIN_HYBRID_CANDIDATES);
        query.addAllPrefetch(prefetches(request, visible, candidates))
            .setQuery(Query.newBuilder().setRrf(Rrf.newBuilder().setK(RRF_K)));
      }
    }
    return Optional.of(query.build());
  }

  private List<PrefetchQuery> prefetches(SearchRequest request, Filter visible, int candidates) {
    List<PrefetchQuery> prefetches = new ArrayList<>(2);
    prefetches.add(PrefetchQuery.newBuilder()
        .setQuery(QueryFactory.nearest(request.vector())).setUsing(DENSE)
        .setFilter(visible).setLimit(candidates).setParams(params(candidates)).build());
    KeywordVectors.Sparse terms = keywords.query(request.text());
    if (!terms.isEmpty()) {
      prefetches.add(PrefetchQuery.newBuilder()
          .setQuery(QueryFactory.nearest(terms.values(), terms.indices())).setUsing(KEYWORD)
          .setFilter(visible).setLimit(candidates).build());
    }
    return prefetches;
  }

  private SearchParams params(int candidates) {
    return SearchParams.newBuilder().setHnswEf(Math.max(options.searchEf(), candidates)).build();
  }
}
