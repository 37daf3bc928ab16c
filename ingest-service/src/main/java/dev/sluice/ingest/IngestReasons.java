package dev.sluice.ingest;

import dev.sluice.schemas.ReasonCode;

/**
 * The dead-letter reason codes of the ingest stage, as the strings that {@code Failure.of} takes. The
 * codes, their meaning and their cause live in the one catalogue, {@link ReasonCode} (documented in
 * {@code docs/reason-codes.md}); these names stay so that ingest's code reads as before.
 */
public final class IngestReasons {
  /** {@link ReasonCode#MALFORMED_RECORD}. */
  public static final String MALFORMED_RECORD = ReasonCode.MALFORMED_RECORD.code();
  /** {@link ReasonCode#INVALID_EVENT}. */
  public static final String INVALID_EVENT = ReasonCode.INVALID_EVENT.code();
  /** {@link ReasonCode#BAD_REFERENCE}. */
  public static final String BAD_REFERENCE = ReasonCode.BAD_REFERENCE.code();
  /** {@link ReasonCode#REFERENCE_NOT_ALLOWED}. */
  public static final String REFERENCE_NOT_ALLOWED = ReasonCode.REFERENCE_NOT_ALLOWED.code();
  /** {@link ReasonCode#REFERENCE_NOT_FOUND}. */
  public static final String REFERENCE_NOT_FOUND = ReasonCode.REFERENCE_NOT_FOUND.code();
  /** {@link ReasonCode#CONTENT_UNREADABLE}. */
  public static final String CONTENT_UNREADABLE = ReasonCode.CONTENT_UNREADABLE.code();
  /** {@link ReasonCode#TOO_LARGE}. */
  public static final String TOO_LARGE = ReasonCode.TOO_LARGE.code();
  /** {@link ReasonCode#ENCRYPTED}. */
  public static final String ENCRYPTED = ReasonCode.ENCRYPTED.code();
  /** {@link ReasonCode#CORRUPT}. */
  public static final String CORRUPT = ReasonCode.CORRUPT.code();
  /** {@link ReasonCode#EMPTY}. */
  public static final String EMPTY = ReasonCode.EMPTY.code();
  /** {@link ReasonCode#UNSUPPORTED_TYPE}. */
  public static final String UNSUPPORTED_TYPE = ReasonCode.UNSUPPORTED_TYPE.code();
  /** {@link ReasonCode#PARSE_TIMEOUT}. */
  public static final String PARSE_TIMEOUT = ReasonCode.PARSE_TIMEOUT.code();
  /** {@link ReasonCode#INTERNAL_ERROR}. */
  public static final String INTERNAL_ERROR = ReasonCode.INTERNAL_ERROR.code();

  private IngestReasons() {}
}
