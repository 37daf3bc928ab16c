package dev.sluice.index.qdrant;

import static dev.sluice.index.qdrant.Payloads.*;
import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.range;

import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchScope;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The Qdrant filters of the adapter: visibility, lookups, the purge cutoff and the version guard. */
final class QdrantFilters {

  /** A point written staged; a point without the key (written before staging existed) is not. */
  private static final Condition STAGED_POINT = match(STAGED, true);

  private QdrantFilters() {}

  /**
   * What a caller may see: its tenant, neither deleted nor staged, and public within the tenant or
   * sharing one of the caller's groups; narrowed by {@code filters}. Every search runs under this
   * filter.
   */
  static Filter visibleTo(SearchScope scope, SearchFilters filters) {
    Filter.Builder visible = Filter.newBuilder()
        .addMust(matchKeyword(TENANT, scope.tenant()))
        .addMust(match(DELETED, false))
        .addMustNot(STAGED_POINT)
        .addMust(acl(scope));
    anyOf(DOC_ID, filters.docIds(), visible);
    anyOf(SOURCE, filters.sources(), visible);
    anyOf(CONTENT_TYPE, filters.contentTypes(), visible);
    anyOf(LANGUAGE, filters.languages(), visible);
    anyOf(TAGS, filters.tags(), visible);
    for (Map.Entry<String, String> entry : filters.metadata().entrySet()) {
      visible.addMust(matchKeyword(META_PAIRS, entry.getKey() + META_SEPARATOR + entry.getValue()));
    }
    filters.updatedAfter().ifPresent(after ->
        visible.addMust(range(EVENT_TIME, Range.newBuilder().setGt(after.toEpochMilli()).build())));
    filters.updatedBefore().ifPresent(before ->
        visible.addMust(range(EVENT_TIME, Range.newBuilder().setLt(before.toEpochMilli()).build())));
    anyOf(Payloads.FLAGS, filters.flags(), visible);
    if (!filters.excludeFlags().isEmpty()) {
      visible.addMustNot(matchKeywords(Payloads.FLAGS, List.copyOf(filters.excludeFlags())));
    }
    return visible.build();
  }

  /** All points of one document, deleted or not. */
  static Filter document(String tenant, String docId) {
    return Filter.newBuilder().addMust(matchKeyword(TENANT, tenant)).addMust(matchKeyword(DOC_ID, docId)).build();
  }

  /** The live points of one document. */
  static Filter liveDocument(String tenant, String docId) {
    return document(tenant, docId).toBuilder().addMust(match(DELETED, false)).build();
  }

  /** The soft-deleted points of one document. */
  static Filter deletedDocument(String tenant, String docId) {
    return document(tenant, docId).toBuilder().addMust(match(DELETED, true)).build();
  }

  /** Every point of one tenant. */
  static Filter tenant(String tenant) {
    return Filter.newBuilder().addMust(matchKeyword(TENANT, tenant)).build();
  }

  /** Points with these ids, only within {@code tenant}: no call can touch another tenant's points. */
  static Filter ids(String tenant, Collection<String> ids) {
    return tenant(tenant).toBuilder().addMust(hasId(pointIds(ids))).build();
  }

  /** Visible points (neither deleted nor staged), all tenants. */
  static Filter live() {
    return Filter.newBuilder().addMust(match(DELETED, false)).addMustNot(STAGED_POINT).build();
  }

  /** Visible points of one tenant. */
  static Filter live(String tenant) {
    return live().toBuilder().addMust(matchKeyword(TENANT, tenant)).build();
  }

  /** Points soft-deleted strictly before {@code instant}. */
  static Filter deletedBefore(Instant instant) {
    return Filter.newBuilder()
        .addMust(match(DELETED, true))
        .addMust(range(DELETED_AT, Range.newBuilder().setLt(instant.toEpochMilli()).build()))
        .build();
  }

  /** Points staged strictly before {@code instant} ({@code indexedAt}): leftovers of a version never published. */
  static Filter stagedBefore(Instant instant) {
    return Filter.newBuilder()
        .addMust(STAGED_POINT)
        .addMust(range(INDEXED_AT, Range.newBuilder().setLt(instant.toEpochMilli()).build()))
        .build();
  }

  /** What the retention purge removes: {@link #deletedBefore} or {@link #stagedBefore} the cutoff. */
  static Filter expired(Instant cutoff) {
    // Only should clauses: a point matches when at least one does.
    return Filter.newBuilder().addShould(filter(deletedBefore(cutoff))).addShould(filter(stagedBefore(cutoff))).build();
  }

  /**
   * The condition under which a write of version {@code docVersion} may replace a stored point: its
   * stored version is not newer. Qdrant checks it per point, atomically with the write.
   */
  static Filter versionAtMost(long docVersion) {
    return Filter.newBuilder().addMust(range(DOC_VERSION, Range.newBuilder().setLte(docVersion).build())).build();
  }

  /**
   * The condition under which an upsert of version {@code docVersion} may replace a stored point:
   * {@link #versionAtMost}, and for a staged point also that the stored one is hidden already
   * (staged or deleted), so that staging a new version never hides a chunk search returns now. A
   * stored point without the {@code staged} key is visible: it does not match {@code staged=true}.
   */
  static Filter upsertGuard(long docVersion, boolean staged) {
    Filter guard = versionAtMost(docVersion);
    if (!staged) {
      return guard;
    }
    return guard.toBuilder()
        .addMust(filter(Filter.newBuilder().addShould(STAGED_POINT).addShould(match(DELETED, true)).build()))
        .build();
  }

  static List<PointId> pointIds(Collection<String> ids) {
    List<PointId> pointIds = new ArrayList<>(ids.size());
    ids.forEach(id -> pointIds.add(PointIdFactory.id(UUID.fromString(id))));
    return pointIds;
  }

  private static Condition acl(SearchScope scope) {
    Condition publicPoints = match(ACL_PUBLIC, true);
    if (scope.groups().isEmpty()) {
      return publicPoints;
    }
    // Only should clauses: a point matches when at least one does.
    return filter(Filter.newBuilder()
        .addShould(publicPoints)
        .addShould(matchKeywords(ACL_GROUPS, List.copyOf(scope.groups())))
        .build());
  }

  private static void anyOf(String key, Collection<String> values, Filter.Builder into) {
    if (!values.isEmpty()) {
      into.addMust(matchKeywords(key, List.copyOf(values)));
    }
  }
}
