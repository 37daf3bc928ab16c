package dev.sluice.embedding;

import java.util.List;

/**
 * Computes normalised embeddings with one {@link EmbeddingModel}. Not thread-safe: one per thread
 * (it owns a DJL predictor). Texts longer than the model window are embedded from exactly their first
 * window of tokens.
 */
public interface Embedder extends AutoCloseable {

  /** Same as {@link EmbeddingModel#modelId()}. */
  String modelId();

  /**
   * Embeds passages (documents' chunks) in one call; the i-th vector belongs to the i-th text. The
   * implementation may batch and sort by length internally, the result order is the input order.
   *
   * @throws EmbeddingException when the model fails; the caller decides whether to retry one by one
   */
  List<float[]> embedPassages(List<String> texts);

  /** Embeds a search query, with the model's query instruction prefix when it has one. */
  float[] embedQuery(String query);

  @Override
  void close();
}
