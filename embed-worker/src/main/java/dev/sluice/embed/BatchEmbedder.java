package dev.sluice.embed;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the embed worker turns a batch of chunk texts into vectors, and whom it blames when the model
 * fails. One {@link Embedder#embedPassages} call embeds the whole batch (the embedder groups the
 * texts by token length); only when that call fails is each text embedded alone, which tells a text
 * the model cannot take from a model that cannot run:
 *
 * <ul>
 *   <li>a text the embedder rejects as input ({@link InputRejectedException}: its tokenizer failed
 *       on it alone) is to blame, whatever became of the others;
 *   <li>a text the model fails on alone while another text of the batch is embedded is to blame:
 *       the engine works, this input breaks it;
 *   <li>otherwise, when no text of the batch could be embedded and at least one failure was not a
 *       rejection, the engine is to blame: {@link #embed} throws an {@link EngineFailureException}
 *       and reports no text as failed, so that the batch is retried rather than dead-lettered.
 * </ul>
 *
 * A batch of one text has no other text to compare with: it is blamed only when it is rejected as
 * input. An {@link Error} (the JVM out of memory) is not caught; the service's failure policy
 * decides on it. The benchmark ({@code sluice bench embed}) calls this same class, so that it
 * measures what the pipeline does.
 *
 * <p>Not thread-safe, like the embedder it wraps.
 */
public final class BatchEmbedder {

  /** What became of one text: a vector, or a failure that is the text's own. */
  public sealed interface Outcome {
    /** The text's normalised vector. */
    record Embedded(float[] vector) implements Outcome {}

    /**
     * The model cannot embed this text: it rejected it as input ({@link #rejected()}), or failed on
     * it alone while other texts of its batch were embedded; either way, embedding it again is taken
     * to fail again.
     */
    record Failed(EmbeddingException error) implements Outcome {
      /** Whether the model rejected the text as input, before running on it. */
      public boolean rejected() {
        return error instanceof InputRejectedException;
      }
    }
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
   * @throws EngineFailureException when the model runtime, not a text, is taken to have failed: no
   *     text of the batch could be embedded, alone or together
   */
  public List<Outcome> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    RuntimeException batchFailure;
    try {
      List<Outcome> outcomes = new ArrayList<>(texts.size());
      for (float[] vector : embedder.embedPassages(texts)) {
        outcomes.add(new Outcome.Embedded(vector));
      }
      return outcomes;
    } catch (RuntimeException e) {
      batchFailure = e;
    }
    if (texts.size() == 1) {
      if (batchFailure instanceof InputRejectedException rejected) {
        return List.of(new Outcome.Failed(rejected));
      }
      throw new EngineFailureException("Model " + modelId() + " failed on a batch of one text, which shows nothing "
          + "against the text, so the model runtime is taken to be failing: " + batchFailure.getMessage(),
          batchFailure);
    }
    return embedOneByOne(texts, batchFailure);
  }

  private List<Outcome> embedOneByOne(List<String> texts, RuntimeException batchFailure) {
    List<Outcome> outcomes = new ArrayList<>(texts.size());
    boolean anyEmbedded = false;
    RuntimeException unexplained = null;
    for (String text : texts) {
      try {
        outcomes.add(new Outcome.Embedded(embedder.embedPassages(List.of(text)).get(0)));
        anyEmbedded = true;
      } catch (InputRejectedException e) {
        outcomes.add(new Outcome.Failed(e));
      } catch (RuntimeException e) {
        outcomes.add(new Outcome.Failed(asEmbeddingException(e)));
        unexplained = unexplained == null ? e : unexplained;
      }
    }
    if (unexplained != null && !anyEmbedded) {
      EngineFailureException failure = new EngineFailureException("Model " + modelId() + " failed on all "
          + texts.size() + " texts of a batch, together and each alone, so the model runtime is taken to be failing: "
          + unexplained.getMessage(), unexplained);
      failure.addSuppressed(batchFailure);
      throw failure;
    }
    return outcomes;
  }

  // The Embedder contract says EmbeddingException; anything else thrown on one text (a defect in an
  // embedder) is still a failure on that text, which the caller reports with the same type.
  private EmbeddingException asEmbeddingException(RuntimeException e) {
    return e instanceof EmbeddingException embedding
        ? embedding
        : new EngineFailureException("Model " + modelId() + " failed on a text: " + e, e);
  }
}
