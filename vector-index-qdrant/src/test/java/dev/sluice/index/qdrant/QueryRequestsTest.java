package dev.sluice.index.qdrant;

import static dev.sluice.index.TestPoints.axis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.QueryPoints;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryRequestsTest {

  private static final SearchScope ACME = new SearchScope("acme", Set.of("eng"));
  private final QueryRequests queries = new QueryRequests(new KeywordVectors(), QdrantOptions.DEFAULTS);

  private QueryPoints build(SearchMode mode, String text, int topK) {
    return queries.build("c1", new SearchRequest(ACME, axis(0), text, topK, mode)).orElseThrow();
  }

  @Test
  void denseSearchesTheDenseVectorUnderTheCallersFilter() {
    QueryPoints dense = build(SearchMode.DENSE, "ignored", 10);

    assertThat(dense.getCollectionName()).isEqualTo("c1");
    assertThat(dense.getUsing()).isEqualTo("dense");
    assertThat(dense.getQuery().getNearest().getDense().getDataList()).hasSize(8);
    assertThat(dense.getFilter()).isEqualTo(QdrantFilters.visibleTo(ACME, SearchFilters.NONE));
    assertThat(dense.getLimit()).isEqualTo(10);
    assertThat(dense.getParams().getHnswEf()).isEqualTo(128);
    assertThat(dense.getWithPayload().getEnable()).isTrue();
  }

  @Test
  void keywordSearchesTheSparseVectorAndNothingWithoutTerms() {
    QueryPoints keyword = build(SearchMode.KEYWORD, "kafka kafka streams", 5);

    assertThat(keyword.getUsing()).isEqualTo("keyword");
    assertThat(keyword.getQuery().getNearest().getSparse().getIndicesList()).hasSize(2);
    assertThat(keyword.getQuery().getNearest().getSparse().getValuesList()).containsExactlyInAnyOrder(2f, 1f);
    assertThat(keyword.getFilter().getMust(0).getField().getMatch().getKeyword()).isEqualTo("acme");
    assertThat(queries.build("c1", new SearchRequest(ACME, null, "the of ?!", 5, SearchMode.KEYWORD))).isEmpty();
  }

  @Test
  void hybridFusesDenseAndKeywordPrefetchesByRrfK60EachUnderTheFilter() {
    QueryPoints hybrid = build(SearchMode.HYBRID, "kafka streams", 10);
    Filter visible = QdrantFilters.visibleTo(ACME, SearchFilters.NONE);

    assertThat(hybrid.getQuery().getRrf().getK()).isEqualTo(60);
    assertThat(hybrid.getFilter()).isEqualTo(visible);
    assertThat(hybrid.getLimit()).isEqualTo(10);
    assertThat(hybrid.getPrefetchList()).hasSize(2).allSatisfy(prefetch -> {
      assertThat(prefetch.getFilter()).isEqualTo(visible);
      assertThat(prefetch.getLimit()).isEqualTo(50);
    });
    assertThat(hybrid.getPrefetch(0).getUsing()).isEqualTo("dense");
    assertThat(hybrid.getPrefetch(1).getUsing()).isEqualTo("keyword");
    assertThat(build(SearchMode.HYBRID, "kafka", 20).getPrefetch(0).getLimit()).isEqualTo(80);
  }

  @Test
  void hybridWithoutTermsFusesTheDensePrefetchAlone() {
    assertThat(build(SearchMode.HYBRID, "  ", 10).getPrefetchList()).singleElement()
        .satisfies(p -> assertThat(p.getUsing()).isEqualTo("dense"));
  }
}
