package dev.sluice.ingest;

import dev.sluice.events.DocumentEvent;
import dev.sluice.events.Operation;
import dev.sluice.runtime.DeadLetters.Failure;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules every {@link DocumentEvent} must satisfy before any work is done on it. */
final class DocumentEventValidator {
  static final Pattern TENANT = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  static final int MAX_DOC_ID = 256;
  static final String INVALID = "invalid-event";

  private DocumentEventValidator() {}

  /** The first rule the event breaks, if any. */
  static Optional<Failure> check(String key, DocumentEvent event) {
    if (!TENANT.matcher(event.getTenant()).matches()) {
      return fail("tenant '" + event.getTenant() + "' must match " + TENANT.pattern());
    }
    int docIdLength = event.getDocId().length();
    if (docIdLength < 1 || docIdLength > MAX_DOC_ID) {
      return fail("docId must be 1-" + MAX_DOC_ID + " characters, was " + docIdLength);
    }
    String expectedKey = event.getTenant() + "/" + event.getDocId();
    if (!expectedKey.equals(key)) {
      return fail("record key '" + key + "' must be tenant/docId ('" + expectedKey + "') so the document's events stay ordered");
    }
    if (event.getVersion() < 0) {
      return fail("version must not be negative, was " + event.getVersion());
    }
    if (event.getOp() == Operation.UPSERT) {
      boolean inline = event.getContent() != null;
      boolean byReference = event.getContentRef() != null;
      if (inline == byReference) {
        return fail("an UPSERT needs exactly one of content (inline) or contentRef");
      }
    }
    return Optional.empty();
  }

  private static Optional<Failure> fail(String message) {
    return Optional.of(Failure.of(INVALID, message));
  }
}
