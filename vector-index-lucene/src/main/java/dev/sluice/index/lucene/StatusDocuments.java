package dev.sluice.index.lucene;

import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.Failure;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field.Store;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;

/** Maps a {@link DocumentStatus} to its one Lucene document and back; instants as epoch millis. */
final class StatusDocuments {

  static final String KEY = "key";
  static final String STATE = "state";
  static final String TENANT = "tenant";
  private static final String DOC_ID = "docId";
  private static final String VERSION = "version";
  private static final String CHUNKS = "chunks";
  private static final String EVENT_TIME = "eventTime";
  private static final String UPDATED_AT = "updatedAt";
  private static final String FAILURE_STAGE = "failure.stage";
  private static final String FAILURE_REASON = "failure.reason";
  private static final String FAILURE_MESSAGE = "failure.message";
  private static final String STAGE = "stage";
  private static final String SEARCHABLE_VERSION = "searchableVersion";

  private StatusDocuments() {}

  /** The update term of a document's status; tenants cannot contain '/', so keys never collide. */
  static Term key(String tenant, String docId) {
    return new Term(KEY, tenant + "/" + docId);
  }

  static Document toDocument(DocumentStatus status) {
    Document doc = new Document();
    doc.add(new StringField(KEY, key(status.tenant(), status.docId()).text(), Store.NO));
    doc.add(new StringField(TENANT, status.tenant(), Store.YES));
    doc.add(new StoredField(DOC_ID, status.docId()));
    doc.add(new StringField(STATE, status.state().name(), Store.YES));
    doc.add(new LongField(VERSION, status.version(), Store.YES));
    doc.add(new IntField(CHUNKS, status.chunks(), Store.YES));
    doc.add(new LongField(EVENT_TIME, status.eventTime().toEpochMilli(), Store.YES));
    doc.add(new LongField(UPDATED_AT, status.updatedAt().toEpochMilli(), Store.YES));
    status.failure().ifPresent(failure -> {
      doc.add(new StoredField(FAILURE_STAGE, Objects.requireNonNullElse(failure.stage(), "")));
      doc.add(new StoredField(FAILURE_REASON, Objects.requireNonNullElse(failure.reason(), "")));
      doc.add(new StoredField(FAILURE_MESSAGE, Objects.requireNonNullElse(failure.message(), "")));
    });
    status.stage().ifPresent(stage -> doc.add(new StoredField(STAGE, stage)));
    status.searchableVersion().ifPresent(v -> doc.add(new StoredField(SEARCHABLE_VERSION, v)));
    return doc;
  }

  static DocumentStatus toStatus(Document doc) {
    Optional<Failure> failure =
        Optional.ofNullable(doc.get(FAILURE_STAGE))
            .map(stage -> new Failure(stage, doc.get(FAILURE_REASON), doc.get(FAILURE_MESSAGE)));
    return new DocumentStatus(
        doc.get(TENANT),
        doc.get(DOC_ID),
        DocumentStatus.State.valueOf(doc.get(STATE)),
        doc.getField(VERSION).numericValue().longValue(),
        doc.getField(CHUNKS).numericValue().intValue(),
        Instant.ofEpochMilli(doc.getField(EVENT_TIME).numericValue().longValue()),
        Instant.ofEpochMilli(doc.getField(UPDATED_AT).numericValue().longValue()),
        failure,
        Optional.ofNullable(doc.get(STAGE)),
        searchableVersion(doc));
  }

  // Statuses written before the field existed: an indexed one is searchable at its version.
  private static Optional<Long> searchableVersion(Document doc) {
    if (doc.getField(SEARCHABLE_VERSION) != null) {
      return Optional.of(doc.getField(SEARCHABLE_VERSION).numericValue().longValue());
    }
    return DocumentStatus.State.INDEXED.name().equals(doc.get(STATE))
        ? Optional.of(doc.getField(VERSION).numericValue().longValue()) : Optional.empty();
  }
}
