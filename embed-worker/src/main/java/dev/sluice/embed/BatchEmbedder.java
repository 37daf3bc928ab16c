package dev.sluice.embed;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the embed worker turns a batch of chunk texts into vectors: one {@link
 * Embedder#embedPassages} call for the whole batch (which groups the texts by token length), and,
 * only when that call fails, one call per text, so that a text the model cannot embed fails alone
 * instead of taking its batch down with it. The benchmark ({@code sluice bench embed}) calls this
 * same class, so that it measures what the pipeline does.
 *
 * <p>Not thread-safe, like the embedder it wraps.
 */
public final class BatchEmbedder {

  /** What became of one text: a vector, or the model's failure on that text alone. */
  public sealed interface Outcome {
    /** The text's normalised vector. */
    record Embedded(float[] vector) implements Outcome {}

    /** The model failed on this text even when it was embedded alone. */
    record Failed(EmbeddingException error) implements Outcome {}
  }

  private final Embedder embedder;

  /** @param embedder this thread's embedder; stays owned by the caller */
  public BatchEmbedder(Embedder embedder) {
    this.embedder = embedder;
  }

  /** Same as the embedder's. */
  public String modelId() {
    return embedder.modelId();
  }

  /**
   * Embeds every text; the i-th outcome belongs to the i-th text.
   *
   * @throws RuntimeException anything but an {@link EmbeddingException} (an out-of-memory error, a
   *     closed embedder): that is no fault of one text, so it is not isolated
   */
  public List<Outcome> embed(List<String> texts) {
    List<Outcome> outcomes = new ArrayList<>(texts.size());
    try {
      for (float[] vector : embedder.embedPassages(texts)) {
        outcomes.add(new Outcome.Embedded(vector));
      }
      return outcomes;
    } catch (EmbeddingException batchFailed) {
      if (texts.size() == 1) {
        return List.of(new Outcome.Failed(batchFailed));
      }
    }
    for (String text : texts) {
      try {
        outcomes.add(new Outcome.Embedded(embedder.embedPassages(List.of(text)).get(0)));
      } catch (EmbeddingException e) {
        outcomes.add(new Outcome.Failed(e));
      }
    }
    return outcomes;
  }
}
