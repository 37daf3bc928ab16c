package dev.sluice.embedding;

import java.util.List;

/**
 * Computes normalised embeddings with one {@link EmbeddingModel}. Not thread-safe: one per thread.
 * Texts longer than the model window are embedded from exactly their first
 * window of tokens.
 */
public interface Embedder extends AutoCloseable {

  /** Same as {@link EmbeddingModel#modelId()}. */
  String modelId();

  /**
   * Embeds passages (documents' chunks) in one call; the i-th vector belongs to the i-th text. The
   * implementation may batch and sort by length internally, the result order is the input order.
   *
   * @throws InputRejectedException when the tokenizer rejects a text: the input is to blame
   * @throws EngineFailureException when the model runtime fails on the call: the engine may be to
   *     blame, or one of the texts may provoke it; only a caller that retries the texts one by one
   *     and sees others embedded can tell
   * @throws EmbeddingException when the model fails and the implementation cannot say which side
   */
  List<float[]> embedPassages(List<String> texts);

  /** Embeds a search query, with the model's query instruction prefix when it has one. */
  float[] embedQuery(String query);

  @Override
  void close();
}
