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

  private PointQueries() {}

  /**
   * What a caller may see: its tenant, not deleted, and either public within the tenant or sharing
   * one of the caller's groups; narrowed by {@code filters}. Every search runs under this filter.
   */
  static Query visibleTo(SearchScope scope, SearchFilters filters) {
    BooleanQuery.Builder visible =
        new BooleanQuery.Builder()
            .add(term(TENANT, scope.tenant()), Occur.FILTER)
            .add(term(DELETED, FALSE), Occur.FILTER)
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
    return visible.build();
  }

  /** All points of one document, deleted or not. */
  static Query document(String tenant, String docId) {
    return new BooleanQuery.Builder()
        .add(term(TENANT, tenant), Occur.FILTER)
        .add(term(DOC_ID, docId), Occur.FILTER)
        .build();
  }

  /** The live points of one document. */
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

  /** Live (not deleted) points, all tenants. */
  static Query live() {
    return term(DELETED, FALSE);
  }

  /** Points soft-deleted strictly before {@code instant}. */
  static Query deletedBefore(Instant instant) {
    return new BooleanQuery.Builder()
        .add(term(DELETED, TRUE), Occur.FILTER)
        .add(LongField.newRangeQuery(DELETED_AT, Long.MIN_VALUE, instant.toEpochMilli() - 1), Occur.FILTER)
        .build();
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
