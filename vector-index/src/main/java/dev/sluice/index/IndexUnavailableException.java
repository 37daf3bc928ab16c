package dev.sluice.index;

/**
 * The index could not be reached, or did not answer in time: a transient failure. The write or read
 * did not happen (or may have, for a write that timed out; every write is idempotent, so retrying is
 * safe). Callers retry with backoff rather than dropping or dead-lettering the data.
 */
public final class IndexUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
