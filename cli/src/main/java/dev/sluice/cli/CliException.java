package dev.sluice.cli;

/** A user-facing failure: printed as one line, exit code 1, no stack trace. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message, null, false, false);
  }
}
