package dev.sluice.embedding;

/**
 * The model cannot take a text as input: its tokenizer failed on it, before any engine ran. It is
 * the text's fault, and embedding it again fails again. Thrown for a whole call when the embedder
 * cannot tell which of its texts was rejected; embedding them one by one tells.
 */
public final class InputRejectedException extends EmbeddingException {
  private static final long serialVersionUID = 1L;

  public InputRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
