package dev.sluice.ingest;

/**
 * The dead-letter reason codes of the ingest stage. Stable (dashboards, the status API and replay
 * tooling key on them) and few (they are a metric tag). Each dead letter also carries a message that
 * names the document's specific problem.
 */
public final class IngestReasons {
  /** The record's bytes are not a {@code DocumentEvent}: the producer is broken. */
  public static final String MALFORMED_RECORD = "malformed-record";
  /** The event breaks a rule (tenant, docId, key, version, content presence, inline size, ...). */
  public static final String INVALID_EVENT = "invalid-event";
  /** {@code contentRef} is not a URI. */
  public static final String BAD_REFERENCE = "bad-reference";
  /** The reference's scheme, root or host is not allowed (path escape, symlink out, host not listed). */
  public static final String REFERENCE_NOT_ALLOWED = "reference-not-allowed";
  /** The referenced file or URL does not exist (missing file, not a regular file, HTTP 404/410). */
  public static final String REFERENCE_NOT_FOUND = "reference-not-found";
  /** The content exists but could not be read (I/O error, HTTP error or timeout); replayable. */
  public static final String CONTENT_UNREADABLE = "content-unreadable";
  /** Over a limit: bytes, extracted characters, expansion ratio (zip bomb), or parser memory. */
  public static final String TOO_LARGE = "too-large";
  /** Password protected or encrypted; publish an unprotected copy. */
  public static final String ENCRYPTED = "encrypted";
  /** The parser rejected the file as damaged or not what its type claims. */
  public static final String CORRUPT = "corrupt";
  /** Parsed, but holds no text (zero bytes, blank pages, only boilerplate). */
  public static final String EMPTY = "empty";
  /** No text extractor for this type (images without OCR, audio, unknown binaries, obsolete formats). */
  public static final String UNSUPPORTED_TYPE = "unsupported-type";
  /** Parsing took longer than the per-document timeout; the parser was stopped. */
  public static final String PARSE_TIMEOUT = "parse-timeout";
  /**
   * A defect in Sluice itself while cleaning or chunking this document's text: dead-lettered so that
   * one document cannot stall its partition; replay it once fixed.
   */
  public static final String INTERNAL_ERROR = "internal-error";

  private IngestReasons() {}
}
