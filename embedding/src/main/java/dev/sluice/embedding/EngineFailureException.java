package dev.sluice.embedding;

/**
 * The model runtime failed while running the model (an ONNX Runtime session error, a native
 * allocation failure, a native crash surfaced as an exception). It may be the engine's own fault or
 * be provoked by one input; only a caller that sees other texts embedded by the same embedder can
 * blame a text. A Java {@link OutOfMemoryError} is not wrapped in one: it is an {@link Error} and
 * propagates as such.
 */
public final class EngineFailureException extends EmbeddingException {
  private static final long serialVersionUID = 1L;

  public EngineFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
