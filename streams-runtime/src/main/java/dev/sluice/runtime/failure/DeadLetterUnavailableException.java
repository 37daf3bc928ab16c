package dev.sluice.runtime.failure;

/**
 * A dead letter could not be written. The record it was for must not be skipped, so the task fails
 * and retries it once the dead-letter topic answers again; it is an infrastructure failure.
 */
public final class DeadLetterUnavailableException extends RuntimeException implements InfrastructureFailure {
  private static final long serialVersionUID = 1L;

  public DeadLetterUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
