package dev.sluice.ingest;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters.Failure;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.tika.mime.MediaType;

/** The rules every {@link DocumentEvent} must satisfy before any work is done on it. Thread-safe. */
final class DocumentEventValidator {
  static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  static final int MAX_DOC_ID = 256;
  static final int MAX_SOURCE = 4096;
  static final String INVALID = IngestReasons.INVALID_EVENT;

  private final long inlineMaxBytes;

  DocumentEventValidator(long inlineMaxBytes) {
    this.inlineMaxBytes = inlineMaxBytes;
  }

  /** The first rule the event breaks, if any. */
  Optional<Failure> check(String key, DocumentEvent event) {
    if (!TENANT.matcher(event.getTenant()).matches()) {
      return fail("tenant '" + event.getTenant() + "' must match " + TENANT.pattern());
    }
    int docIdLength = event.getDocId().length();
    if (docIdLength < 1 || docIdLength > MAX_DOC_ID) {
      return fail("docId must be 1-" + MAX_DOC_ID + " characters, was " + docIdLength);
    }
    if (event.getDocId().chars().anyMatch(Character::isISOControl)) {
      return fail("docId must not contain control characters");
    }
    String expectedKey = event.getTenant() + "/" + event.getDocId();
    if (!expectedKey.equals(key)) {
      return fail("record key '" + key + "' must be tenant/docId ('" + expectedKey + "') so the document's events stay ordered");
    }
    if (event.getVersion() < 0) {
      return fail("version must not be negative, was " + event.getVersion());
    }
    if (event.getSource().isBlank() || event.getSource().length() > MAX_SOURCE) {
      return fail("source must be 1-" + MAX_SOURCE + " characters (a URI or label shown in citations)");
    }
    if (event.getOp() == Operation.UPSERT) {
      return checkContent(event);
    }
    return Optional.empty();
  }

  private Optional<Failure> checkContent(DocumentEvent event) {
    boolean inline = event.getContent() != null;
    boolean byReference = event.getContentRef() != null;
    if (inline == byReference) {
      return fail("an UPSERT needs exactly one of content (inline) or contentRef");
    }
    if (inline && event.getContent().remaining() > inlineMaxBytes) {
      return fail("inline content is " + event.getContent().remaining() + " bytes, the inline limit is " + inlineMaxBytes
          + "; publish larger documents by reference (contentRef)");
    }
    if (byReference && event.getContentRef().isBlank()) {
      return fail("contentRef must not be blank");
    }
    if (event.getContentType() != null && MediaType.parse(event.getContentType()) == null) {
      return fail("contentType '" + event.getContentType() + "' is not a media type (type/subtype)");
    }
    return Optional.empty();
  }

  private static Optional<Failure> fail(String message) {
    return Optional.of(Failure.of(INVALID, message));
  }
}
