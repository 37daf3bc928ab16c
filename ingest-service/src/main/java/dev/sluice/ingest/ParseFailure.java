package dev.sluice.ingest;

import java.util.Optional;

/**
 * A document that cannot be turned into text, with a stable reason code from {@link IngestReasons}:
 * {@code encrypted}, {@code corrupt}, {@code empty}, {@code unsupported-type}, {@code too-large},
 * {@code parse-timeout}.
 */
final class ParseFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;
  private final String exceptionClass;
  private final String contentType;

  ParseFailure(String reason, String message, Throwable cause) {
    this(reason, message, cause == null ? null : cause.getClass().getName(), null, cause);
  }

  /**
   * @param exceptionClass class of the parser's exception, which may have been thrown in another JVM
   * @param contentType the detected type, when detection got that far
   */
  ParseFailure(String reason, String message, String exceptionClass, String contentType, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.exceptionClass = exceptionClass;
    this.contentType = contentType;
  }

  String reason() {
    return reason;
  }

  Optional<String> exceptionClass() {
    return Optional.ofNullable(exceptionClass);
  }

  Optional<String> contentType() {
    return Optional.ofNullable(contentType);
  }

  ParseFailure withContentType(String type) {
    return new ParseFailure(reason, getMessage(), exceptionClass, type, getCause());
  }
}
