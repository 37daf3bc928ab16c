package dev.sluice.index.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchScope;
import dev.sluice.index.TestPoints;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QdrantFiltersTest {

  private static FieldCondition field(Filter filter, String key) {
    return filter.getMustList().stream().filter(Condition::hasField).map(Condition::getField)
        .filter(f -> f.getKey().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no condition on " + key));
  }

  @Test
  void everySearchIsScopedToItsTenantLivePointsAndPublicAcl() {
    Filter visible = QdrantFilters.visibleTo(new SearchScope("acme", Set.of()), SearchFilters.NONE);

    assertThat(field(visible, "tenant").getMatch().getKeyword()).isEqualTo("acme");
    assertThat(field(visible, "deleted").getMatch().getBoolean()).isFalse();
    assertThat(field(visible, "aclPublic").getMatch().getBoolean()).isTrue();
    assertThat(visible.getMustCount()).isEqualTo(3);
    assertThat(visible.getShouldCount()).isZero();
  }

  @Test
  void callerGroupsWidenTheAclButNeverTheTenant() {
    Filter visible = QdrantFilters.visibleTo(new SearchScope("acme", Set.of("eng")), SearchFilters.NONE);

    assertThat(field(visible, "tenant").getMatch().getKeyword()).isEqualTo("acme");
    Filter acl = visible.getMustList().stream().filter(Condition::hasFilter).findFirst().orElseThrow().getFilter();
    assertThat(acl.getMustCount()).isZero();
    assertThat(acl.getShouldList()).extracting(c -> c.getField().getKey()).containsExactly("aclPublic", "aclGroups");
    assertThat(acl.getShould(1).getField().getMatch().getKeywords().getStringsList()).containsExactly("eng");
  }

  @Test
  void searchFiltersNarrowWithinTheScope() {
    SearchFilters filters = new SearchFilters(Set.of("doc-2"), Set.of("wiki:a"), Set.of("text/html"), Set.of("fr"),
        Set.of("geo"), Map.of("tier", "gold"), Optional.of(TestPoints.T0), Optional.of(TestPoints.T0.plusSeconds(5)));
    Filter visible = QdrantFilters.visibleTo(new SearchScope("acme", Set.of()), filters);

    assertThat(field(visible, "docId").getMatch().getKeywords().getStringsList()).containsExactly("doc-2");
    assertThat(field(visible, "source").getMatch().getKeywords().getStringsList()).containsExactly("wiki:a");
    assertThat(field(visible, "contentType").getMatch().getKeywords().getStringsList()).containsExactly("text/html");
    assertThat(field(visible, "language").getMatch().getKeywords().getStringsList()).containsExactly("fr");
    assertThat(field(visible, "tags").getMatch().getKeywords().getStringsList()).containsExactly("geo");
    assertThat(field(visible, "metaPairs").getMatch().getKeyword()).isEqualTo("tier\u001fgold");
    List<FieldCondition> times = visible.getMustList().stream().filter(Condition::hasField).map(Condition::getField)
        .filter(f -> f.getKey().equals("eventTime")).toList();
    assertThat(times).hasSize(2);
    assertThat(times.get(0).getRange().getGt()).isEqualTo(TestPoints.T0.toEpochMilli());
    assertThat(times.get(1).getRange().getLt()).isEqualTo(TestPoints.T0.plusSeconds(5).toEpochMilli());
    assertThat(field(visible, "tenant").getMatch().getKeyword()).isEqualTo("acme");
  }

  @Test
  void idLookupsStayWithinTheTenant() {
    Filter ids = QdrantFilters.ids("acme", List.of(TestPoints.id("p1")));

    assertThat(field(ids, "tenant").getMatch().getKeyword()).isEqualTo("acme");
    assertThat(ids.getMust(1).getHasId().getHasId(0).getUuid()).isEqualTo(TestPoints.id("p1"));
  }

  @Test
  void theVersionGuardAndThePurgeCutoffAreRanges() {
    assertThat(field(QdrantFilters.versionAtMost(7), "docVersion").getRange().getLte()).isEqualTo(7);
    Filter expired = QdrantFilters.deletedBefore(Instant.ofEpochMilli(1000));
    assertThat(field(expired, "deleted").getMatch().getBoolean()).isTrue();
    assertThat(field(expired, "deletedAt").getRange().getLt()).isEqualTo(1000);
    assertThat(field(QdrantFilters.deletedDocument("acme", "d"), "deleted").getMatch().getBoolean()).isTrue();
    assertThat(field(QdrantFilters.liveDocument("acme", "d"), "deleted").getMatch().getBoolean()).isFalse();
  }

  private static FieldCondition mustNot(Filter filter, String key) {
    return filter.getMustNotList().stream().filter(Condition::hasField).map(Condition::getField)
        .filter(f -> f.getKey().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no must_not on " + key));
  }

  @Test
  void searchesAndCountsExcludeStagedPointsWithMustNotSoPointsWithoutTheKeyStayVisible() {
    Filter visible = QdrantFilters.visibleTo(new SearchScope("acme", Set.of("eng")), SearchFilters.NONE);

    assertThat(visible.getMustNotList()).singleElement();
    assertThat(mustNot(visible, "staged").getMatch().getBoolean()).isTrue();
    Filter live = QdrantFilters.live();
    assertThat(field(live, "deleted").getMatch().getBoolean()).isFalse();
    assertThat(mustNot(live, "staged").getMatch().getBoolean()).isTrue();
    assertThat(live.getMustList()).extracting(c -> c.getField().getKey()).doesNotContain("staged");
  }

  @Test
  void theUpsertGuardOfAVisiblePointIsTheVersionAlone() {
    assertThat(QdrantFilters.upsertGuard(4, false)).isEqualTo(QdrantFilters.versionAtMost(4));
  }

  @Test
  void aStagedPointMayOnlyReplaceAStagedOrDeletedPointOfNoNewerVersion() {
    Filter guard = QdrantFilters.upsertGuard(4, true);

    assertThat(guard.getMustCount()).isEqualTo(2);
    assertThat(field(guard, "docVersion").getRange().getLte()).isEqualTo(4);
    Filter hidden = guard.getMustList().stream().filter(Condition::hasFilter).findFirst().orElseThrow().getFilter();
    assertThat(hidden.getMustCount()).isZero();
    assertThat(hidden.getShouldList()).extracting(c -> c.getField().getKey()).containsExactly("staged", "deleted");
    assertThat(hidden.getShouldList()).allSatisfy(c -> assertThat(c.getField().getMatch().getBoolean()).isTrue());
  }

  @Test
  void thePurgeTakesPointsDeletedOrStagedBeforeTheCutoff() {
    Filter expired = QdrantFilters.expired(Instant.ofEpochMilli(1000));

    assertThat(expired.getMustCount()).isZero();
    assertThat(expired.getShouldList()).extracting(c -> c.getFilter())
        .containsExactly(QdrantFilters.deletedBefore(Instant.ofEpochMilli(1000)), QdrantFilters.stagedBefore(Instant.ofEpochMilli(1000)));
    Filter staged = QdrantFilters.stagedBefore(Instant.ofEpochMilli(1000));
    assertThat(field(staged, "staged").getMatch().getBoolean()).isTrue();
    assertThat(field(staged, "indexedAt").getRange().getLt()).isEqualTo(1000);
  }
}
