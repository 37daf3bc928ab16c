package dev.sluice.embedding;

/**
 * A loaded embedding model: the ONNX session and tokenizer, loaded once per JVM and shared by every
 * stream thread and the query service. Thread-safe. Hand out one {@link Embedder} per thread.
 */
public interface EmbeddingModel extends AutoCloseable {

  /** The catalogue entry this model was loaded from. */
  ModelSpec spec();

  /** Model name plus a short hash of its ONNX file, e.g. {@code all-minilm-l6-v2@3f2a9c1d}. */
  String modelId();

  /** Length of every vector this model produces. */
  int dimension();

  /** The model's own tokenizer, truncating at the configured window; thread-safe. */
  ModelTokenizer tokenizer();

  /** A new embedder for the calling thread; close it when the thread is done. */
  Embedder newEmbedder();

  /** Releases the tokenizer and this model's share of the session; close its embedders first. */
  @Override
  void close();
}
