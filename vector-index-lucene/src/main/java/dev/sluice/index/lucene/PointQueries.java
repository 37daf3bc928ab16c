package dev.sluice.index.lucene;

import static dev.sluice.index.lucene.PointFields.*;

import dev.sluice.index.SearchFilters;
import dev.sluice.index.SearchScope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** The non-scoring queries over points: visibility, filters and lookups. */
final class PointQueries {

  // Staged points are few (one in-flight version per document), so excluding them costs a short
  // postings list, and points of indexes written before staging existed (no such field) pass.
  private static final Query STAGED_POINTS = new TermQuery(new Term(STAGED, TRUE));

  private PointQueries() {}

  /**
   * What a caller may see: its tenant, visible (neither deleted nor staged), and either public
   * within the tenant or sharing one of the caller's groups; narrowed by {@code filters}. Every
   * search runs under this filter.
   */
  static Query visibleTo(SearchScope scope, SearchFilters filters) {
    BooleanQuery.Builder visible =
        new BooleanQuery.Builder()
            .add(term(TENANT, scope.tenant()), Occur.FILTER)
            .add(term(DELETED, FALSE), Occur.FILTER)
            .add(STAGED_POINTS, Occur.MUST_NOT)
            .add(acl(scope), Occur.FILTER);
    anyOf(DOC_ID, filters.docIds(), visible);
    anyOf(SOURCE, filters.sources(), visible);
    anyOf(CONTENT_TYPE, filters.contentTypes(), visible);
    anyOf(LANGUAGE, filters.languages(), visible);
    anyOf(TAG, filters.tags(), visible);
    for (Map.Entry<String, String> entry : filters.metadata().entrySet()) {
      visible.add(term(METADATA, entry.getKey() + META_SEPARATOR + entry.getValue()), Occur.FILTER);
    }
    filters.updatedAfter()
        .ifPresent(after -> visible.add(eventTimeBetween(after.toEpochMilli() + 1, Long.MAX_VALUE), Occur.FILTER));
    filters.updatedBefore()
        .ifPresent(before -> visible.add(eventTimeBetween(Long.MIN_VALUE, before.toEpochMilli() - 1), Occur.FILTER));
    anyOf(FLAG, filters.flags(), visible);
    if (!filters.excludeFlags().isEmpty()) {
      visible.add(new TermInSetQuery(FLAG, bytes(filters.excludeFlags())), Occur.MUST_NOT);
    }
    return visible.build();
  }

  /** All points of one document, deleted or not. */
  static Query document(String tenant, String docId) {
    return new BooleanQuery.Builder()
        .add(term(TENANT, tenant), Occur.FILTER)
        .add(term(DOC_ID, docId), Occur.FILTER)
        .build();
  }

  /** The points of one document that are not soft-deleted, staged or not: what a delete marks. */
  static Query liveDocument(String tenant, String docId) {
    return new BooleanQuery.Builder()
        .add(document(tenant, docId), Occur.FILTER)
        .add(term(DELETED, FALSE), Occur.FILTER)
        .build();
  }

  /** The soft-deleted points of one document. */
  static Query deletedDocument(String tenant, String docId) {
    return new BooleanQuery.Builder()
        .add(document(tenant, docId), Occur.FILTER)
        .add(term(DELETED, TRUE), Occur.FILTER)
        .build();
  }

  /** Every point of one tenant. */
  static Query tenant(String tenant) {
    return term(TENANT, tenant);
  }

  /** Points with these ids, only within {@code tenant}: no call can touch another tenant's points. */
  static Query ids(String tenant, Collection<String> ids) {
    return new BooleanQuery.Builder()
        .add(term(TENANT, tenant), Occur.FILTER)
        .add(new TermInSetQuery(ID, bytes(ids)), Occur.FILTER)
        .build();
  }

  /** Visible (neither deleted nor staged) points, all tenants. */
  static Query visible() {
    return new BooleanQuery.Builder()
        .add(term(DELETED, FALSE), Occur.FILTER)
        .add(STAGED_POINTS, Occur.MUST_NOT)
        .build();
  }

  /** Visible points of one tenant. */
  static Query visible(String tenant) {
    return new BooleanQuery.Builder()
        .add(term(TENANT, tenant), Occur.FILTER)
        .add(visible(), Occur.FILTER)
        .build();
  }

  /**
   * What the retention purge removes, all tenants: points soft-deleted strictly before {@code
   * instant}, and points still staged that were written ({@code indexedAt}) strictly before it.
   */
  static Query purgeable(Instant instant) {
    long before = instant.toEpochMilli() - 1;
    Query deleted = new BooleanQuery.Builder()
        .add(term(DELETED, TRUE), Occur.FILTER)
        .add(LongField.newRangeQuery(DELETED_AT, Long.MIN_VALUE, before), Occur.FILTER)
        .build();
    Query abandoned = new BooleanQuery.Builder()
        .add(STAGED_POINTS, Occur.FILTER)
        .add(LongField.newRangeQuery(INDEXED_AT, Long.MIN_VALUE, before), Occur.FILTER)
        .build();
    // Only SHOULD clauses: a point matches when at least one does.
    return new BooleanQuery.Builder().add(deleted, Occur.SHOULD).add(abandoned, Occur.SHOULD).build();
  }

  private static Query acl(SearchScope scope) {
    Query publicPoints = term(ACL_PUBLIC, TRUE);
    if (scope.groups().isEmpty()) {
      return publicPoints;
    }
    // Only SHOULD clauses: a point matches when at least one does.
    return new BooleanQuery.Builder()
        .add(publicPoints, Occur.SHOULD)
        .add(new TermInSetQuery(ACL_GROUPS, bytes(scope.groups())), Occur.SHOULD)
        .build();
  }

  private static void anyOf(String field, Collection<String> values, BooleanQuery.Builder into) {
    if (!values.isEmpty()) {
      into.add(new TermInSetQuery(field, bytes(values)), Occur.FILTER);
    }
  }

  private static Query eventTimeBetween(long fromMillis, long toMillis) {
    return fromMillis > toMillis
        ? new MatchNoDocsQuery("empty event-time range")
        : LongField.newRangeQuery(EVENT_TIME, fromMillis, toMillis);
  }

  private static Query term(String field, String value) {
    return new TermQuery(new Term(field, value));
  }

  private static List<BytesRef> bytes(Collection<String> values) {
    return values.stream().map(BytesRef::new).toList();
  }
}
