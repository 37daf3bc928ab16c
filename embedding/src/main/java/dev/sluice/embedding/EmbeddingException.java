package dev.sluice.embedding;

/**
 * The model could not be loaded, or could not embed its input. When embedding, an implementation
 * that knows which side failed throws one of the two subtypes: {@link InputRejectedException} (the
 * text) or {@link EngineFailureException} (the model runtime); a plain {@code EmbeddingException}
 * from embedding says neither.
 */
public class EmbeddingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }

  /** For a failure detected by Sluice itself, such as a model file missing from the classpath. */
  public EmbeddingException(String message) {
    super(message);
  }
}
