package dev.sluice.ingest;

/**
 * A document that cannot be turned into text, with a stable reason code: {@code encrypted}, {@code
 * corrupt}, {@code empty}, {@code unsupported-type}, {@code too-large}, {@code parse-timeout}.
 */
final class ParseFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  ParseFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
