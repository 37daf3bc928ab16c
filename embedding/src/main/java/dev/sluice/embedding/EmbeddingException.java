package dev.sluice.embedding;

/** The model could not embed its input (bad input or runtime failure). */
public class EmbeddingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }
}
