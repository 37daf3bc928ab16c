package dev.sluice.index.qdrant;

import static dev.sluice.index.TestPoints.axis;
import static dev.sluice.index.TestPoints.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchMode;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import java.util.List;
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
    // Two terms, each in the text, the title (weighted by the boost) and the legacy dimensions.
    assertThat(keyword.getQuery().getNearest().getSparse().getIndicesList()).hasSize(6);
    assertThat(keyword.getQuery().getNearest().getSparse().getValuesList())
        .containsExactlyInAnyOrder(2f, 1f, 2 * KeywordVectors.TITLE_BOOST, KeywordVectors.TITLE_BOOST, 2f, 1f);
    assertThat(keyword.getFilter().getMust(0).getField().getMatch().getKeyword()).isEqualTo("acme");
    assertThat(queries.build("c1", new SearchRequest(ACME, null, "the of ?!", 5, SearchMode.KEYWORD))).isEmpty();
  }

  @Test
  void hybridAsksForBothRankingsTwoHundredDeepUnderTheFilterWithoutPayloads() {
    List<QueryPoints> rankings = queries.hybridRankings("c1", new SearchRequest(ACME, axis(0), "kafka streams", 10, SearchMode.HYBRID));
    Filter visible = QdrantFilters.visibleTo(ACME, SearchFilters.NONE);

    assertThat(rankings).hasSize(2).allSatisfy(ranking -> {
      assertThat(ranking.getCollectionName()).isEqualTo("c1");
      assertThat(ranking.getFilter()).isEqualTo(visible);
      assertThat(ranking.getLimit()).isEqualTo(200);
      assertThat(ranking.getWithPayload().getEnable()).isFalse();
    });
    assertThat(rankings.get(0).getUsing()).isEqualTo("dense");
    assertThat(rankings.get(0).getParams().getHnswEf()).isEqualTo(200);
    assertThat(rankings.get(1).getUsing()).isEqualTo("keyword");
    assertThat(queries.hybridRankings("c1", new SearchRequest(ACME, axis(0), "kafka", 300, SearchMode.HYBRID)).getFirst().getLimit())
        .isEqualTo(300);
    assertThatThrownBy(() -> build(SearchMode.HYBRID, "kafka", 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hybridWithoutTermsAsksForTheDenseRankingAlone() {
    assertThat(queries.hybridRankings("c1", new SearchRequest(ACME, axis(0), "  ", 10, SearchMode.HYBRID))).singleElement()
        .satisfies(p -> assertThat(p.getUsing()).isEqualTo("dense"));
  }

  /** As the Lucene adapter: two scores normalise to 1/2 ± √2/12, weighted 0.6 (dense) and 0.4 (keyword). */
  @Test
  void hybridRankingsFuseByWeightedDistributionNormalisedScores() {
    List<ScoredPoint> dense = List.of(scored("d", 0.9f), scored("both", 0.5f));
    List<ScoredPoint> keyword = List.of(scored("both", 9f), scored("k", 5f));

    List<ScoreFusion.Fused<PointId>> fused = QueryRequests.fuse(List.of(dense, keyword), 10);

    assertThat(fused).extracting(f -> f.item().getUuid()).containsExactly(id("both"), id("d"), id("k"));
    double high = 0.5 + Math.sqrt(2) / 12;
    double low = 0.5 - Math.sqrt(2) / 12;
    assertThat(fused.get(0).score()).isCloseTo(0.6 * low + 0.4 * high, within(1e-6));
    assertThat(fused.get(1).score()).isCloseTo(0.6 * high, within(1e-6));
    assertThat(QueryRequests.fuse(List.of(dense), 1)).extracting(f -> f.item().getUuid()).containsExactly(id("d"));
  }

  /** The contract's case: the only match of rare terms, far from the query vector, still ranks first. */
  @Test
  void aLoneKeywordMatchStandsOutAgainstTheCandidateSet() {
    List<ScoredPoint> dense = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      dense.add(scored("near" + i, 0.99f - i * 0.0005f));
    }
    dense.add(scored("exact", 0.5f));

    List<ScoreFusion.Fused<PointId>> fused = QueryRequests.fuse(List.of(dense, List.of(scored("exact", 7f))), 5);

    assertThat(fused.getFirst().item().getUuid()).isEqualTo(id("exact"));
  }

  @Test
  void thePayloadFetchAsksForTheFusedIdsUnderTheFilterAgain() {
    SearchRequest request = new SearchRequest(ACME, axis(0), "kafka", 10, SearchMode.HYBRID);
    ScrollPoints fetch = QueryRequests.hybridPayloads("c1", request, List.of(PointRequests.id(id("a")), PointRequests.id(id("b"))));

    assertThat(fetch.getCollectionName()).isEqualTo("c1");
    assertThat(fetch.getLimit()).isEqualTo(2);
    assertThat(fetch.getWithPayload().getEnable()).isTrue();
    assertThat(fetch.getWithVectors().getEnable()).isFalse();
    assertThat(fetch.getFilter().getMustList()).containsAll(QdrantFilters.visibleTo(ACME, SearchFilters.NONE).getMustList());
    assertThat(fetch.getFilter().getMustNotList()).isEqualTo(QdrantFilters.visibleTo(ACME, SearchFilters.NONE).getMustNotList());
    assertThat(fetch.getFilter().getMustList()).filteredOn(Condition::hasHasId).singleElement()
        .satisfies(c -> assertThat(c.getHasId().getHasIdList()).extracting(PointId::getUuid).containsExactly(id("a"), id("b")));
  }

  private static ScoredPoint scored(String name, float score) {
    return ScoredPoint.newBuilder().setId(PointRequests.id(id(name))).setScore(score).build();
  }
}
