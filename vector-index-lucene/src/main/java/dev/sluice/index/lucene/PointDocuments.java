package dev.sluice.index.lucene;

import static dev.sluice.index.lucene.PointFields.*;

import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.SearchFilters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Maps points to Lucene documents and back. Every payload field is stored, so search returns the
 * payload without another lookup; fields that filters use are also indexed. Instants are kept as
 * epoch milliseconds.
 */
final class PointDocuments {

  private PointDocuments() {}

  /**
   * The Lucene document of a point. {@code similarity} is the collection's metric; for the catalogue's
   * normalised vectors cosine ranks as dot product would, and stays correct if a model ever emits a
   * slightly unnormalised vector.
   */
  static Document toDocument(IndexPoint point, VectorSimilarityFunction similarity) {
    PointPayload p = point.payload();
    Document doc = new Document();
    doc.add(new StringField(ID, point.id(), Store.YES));
    doc.add(new KnnFloatVectorField(VECTOR, point.vector(), similarity));
    doc.add(new TextField(CHUNK_TEXT, required(p.text(), "text", point), Store.YES));
    doc.add(new StringField(TENANT, required(p.tenant(), "tenant", point), Store.YES));
    doc.add(new StringField(DOC_ID, required(p.docId(), "docId", point), Store.YES));
    doc.add(new StoredField(CHUNK_ID, required(p.chunkId(), "chunkId", point)));
    doc.add(new IntField(ORDINAL, p.ordinal(), Store.YES));
    doc.add(new StoredField(CONTENT_HASH, required(p.contentHash(), "contentHash", point)));
    doc.add(new LongField(DOC_VERSION, p.docVersion(), Store.YES));
    addKeyword(doc, SOURCE, required(p.source(), "source", point));
    p.title().ifPresent(title -> {
      doc.add(new StoredField(TITLE, title));
      doc.add(new TextField(TITLE_TERMS, title, Store.NO));
    });
    doc.add(new StoredField(SECTION, required(p.section(), "section", point)));
    p.contentType().ifPresent(type -> addKeyword(doc, CONTENT_TYPE, type));
    p.language().ifPresent(language -> addKeyword(doc, LANGUAGE, language));
    p.metadata().forEach((key, value) -> addKeyword(doc, METADATA, key + META_SEPARATOR + value));
    String tags = p.metadata().get(SearchFilters.TAGS_KEY);
    if (tags != null) {
      Arrays.stream(tags.split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).distinct()
          .forEach(tag -> doc.add(new StringField(TAG, tag, Store.NO)));
    }
    p.aclGroups().forEach(group -> doc.add(new StringField(ACL_GROUPS, group, Store.YES)));
    if (p.aclGroups().isEmpty()) {
      doc.add(new StringField(ACL_PUBLIC, TRUE, Store.NO));
    }
    doc.add(new StringField(MODEL_ID, required(p.modelId(), "modelId", point), Store.YES));
    doc.add(new LongField(EVENT_TIME, required(p.eventTime(), "eventTime", point).toEpochMilli(), Store.YES));
    doc.add(new LongField(INDEXED_AT, required(p.indexedAt(), "indexedAt", point).toEpochMilli(), Store.YES));
    doc.add(new StringField(DELETED, p.deleted() ? TRUE : FALSE, Store.YES));
    p.deletedAt().ifPresent(at -> doc.add(new LongField(DELETED_AT, at.toEpochMilli(), Store.YES)));
    doc.add(new StringField(STAGED, p.staged() ? TRUE : FALSE, Store.YES));
    p.flags().forEach(flag -> doc.add(new StringField(FLAG, flag, Store.YES)));
    return doc;
  }

  static PointPayload toPayload(Document doc) {
    return new PointPayload(
        doc.get(TENANT),
        doc.get(DOC_ID),
        doc.get(CHUNK_ID),
        doc.getField(ORDINAL).numericValue().intValue(),
        // Points written before CHUNK_TEXT existed hold their text in TEXT.
        Optional.ofNullable(doc.get(CHUNK_TEXT)).orElseGet(() -> doc.get(TEXT)),
        doc.get(CONTENT_HASH),
        doc.getField(DOC_VERSION).numericValue().longValue(),
        doc.get(SOURCE),
        Optional.ofNullable(doc.get(TITLE)),
        doc.get(SECTION),
        Optional.ofNullable(doc.get(CONTENT_TYPE)),
        Optional.ofNullable(doc.get(LANGUAGE)),
        metadata(doc.getValues(METADATA)),
        List.of(doc.getValues(ACL_GROUPS)),
        doc.get(MODEL_ID),
        instant(doc, EVENT_TIME).orElseThrow(),
        instant(doc, INDEXED_AT).orElseThrow(),
        TRUE.equals(doc.get(DELETED)),
        instant(doc, DELETED_AT),
        TRUE.equals(doc.get(STAGED)),
        List.of(doc.getValues(FLAG)));
  }

  /** The stored version and visibility of every point among {@code ids} that exists. */
  static Map<String, LiveVersions.Stored> versions(IndexSearcher searcher, Collection<String> ids) throws IOException {
    Map<String, LiveVersions.Stored> versions = new HashMap<>();
    if (ids.isEmpty()) {
      return versions;
    }
    Query query = new TermInSetQuery(ID, ids.stream().map(BytesRef::new).toList());
    StoredFields stored = searcher.storedFields();
    for (ScoreDoc hit : searcher.search(query, Math.max(1, ids.size())).scoreDocs) {
      Document doc = stored.document(hit.doc, Set.of(ID, DOC_VERSION, DELETED, STAGED));
      boolean visible = !TRUE.equals(doc.get(DELETED)) && !TRUE.equals(doc.get(STAGED));
      versions.put(doc.get(ID), new LiveVersions.Stored(doc.getField(DOC_VERSION).numericValue().longValue(), visible));
    }
    return versions;
  }

  /** The whole point behind a search hit, vector included, so that it can be rewritten. */
  static IndexPoint readPoint(IndexSearcher searcher, int docId) throws IOException {
    Document doc = searcher.storedFields().document(docId);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
    int leafDoc = docId - leaf.docBase;
    FloatVectorValues vectors = leaf.reader().getFloatVectorValues(VECTOR);
    KnnVectorValues.DocIndexIterator iterator = vectors == null ? null : vectors.iterator();
    if (iterator == null || iterator.advance(leafDoc) != leafDoc) {
      throw new IllegalStateException("point " + doc.get(ID) + " has no vector in the index");
    }
    // The returned array may be a reused buffer.
    float[] vector = vectors.vectorValue(iterator.index()).clone();
    return new IndexPoint(doc.get(ID), vector, toPayload(doc));
  }

  // Stored always; indexed for exact-match filters only when short enough to be a Lucene term,
  // because an over-long term would make IndexWriter reject the whole point.
  private static void addKeyword(Document doc, String field, String value) {
    if (value.getBytes(StandardCharsets.UTF_8).length <= IndexWriter.MAX_TERM_LENGTH) {
      doc.add(new StringField(field, value, Store.YES));
    } else {
      doc.add(new StoredField(field, value));
    }
  }

  private static Map<String, String> metadata(String[] entries) {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String entry : entries) {
      int separator = entry.indexOf(META_SEPARATOR);
      metadata.put(entry.substring(0, separator), entry.substring(separator + 1));
    }
    return metadata;
  }

  private static Optional<Instant> instant(Document doc, String field) {
    return Optional.ofNullable(doc.getField(field))
        .map(stored -> Instant.ofEpochMilli(stored.numericValue().longValue()));
  }

  private static <T> T required(T value, String field, IndexPoint point) {
    if (value == null) {
      throw new IllegalArgumentException("point " + point.id() + ": payload." + field + " is missing");
    }
    return value;
  }
}
