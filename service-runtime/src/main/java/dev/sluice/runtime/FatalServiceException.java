package dev.sluice.runtime;

/**
 * A failure no retry can cure (invalid configuration, a model that cannot load, an index holding
 * another model): the service stops with this message instead of looping.
 */
public class FatalServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FatalServiceException(String message) {
    super(message);
  }

  public FatalServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
