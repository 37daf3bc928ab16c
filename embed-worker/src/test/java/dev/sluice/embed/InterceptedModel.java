package dev.sluice.embed;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingException;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import dev.sluice.embedding.ModelSpec;
import dev.sluice.embedding.ModelTokenizer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The real model, with a hook run before each model call: to fail a call as the tokenizer or ONNX
 * Runtime would, or to freeze the process in the middle of a batch. No input makes the real model
 * fail or stall on demand; everything else is the real model's work.
 */
final class InterceptedModel implements EmbeddingModel {
  /** A text containing this makes every call that includes it fail. */
  static final String POISON = "☠";

  private final EmbeddingModel real;
  private final Consumer<List<String>> beforeEachCall;

  InterceptedModel(EmbeddingModel real, Consumer<List<String>> beforeEachCall) {
    this.real = real;
    this.beforeEachCall = beforeEachCall;
  }

  /** Fails every call that includes a text containing {@link #POISON}. */
  static InterceptedModel poisoned(EmbeddingModel real) {
    return new InterceptedModel(real, texts -> {
      if (texts.stream().anyMatch(t -> t.contains(POISON))) {
        throw new EmbeddingException("Model " + real.modelId() + " failed on a batch of " + texts.size() + " texts");
      }
    });
  }

  /** Rejects as input, as a tokenizer failing on a text would, every call that includes {@link #POISON}. */
  static InterceptedModel rejecting(EmbeddingModel real) {
    return new InterceptedModel(real, texts -> {
      if (texts.stream().anyMatch(t -> t.contains(POISON))) {
        throw new InputRejectedException("Model " + real.modelId() + " could not tokenize a batch of " + texts.size()
            + " texts", new IllegalArgumentException("invalid input"));
      }
    });
  }

  /** Fails every call, as a broken ONNX Runtime session would, for as long as {@code down} says so. */
  static InterceptedModel engineDownWhile(EmbeddingModel real, BooleanSupplier down) {
    return new InterceptedModel(real, texts -> {
      if (down.getAsBoolean()) {
        throw new EngineFailureException("Model " + real.modelId() + " failed on a batch of " + texts.size() + " texts",
            new IllegalStateException("ONNX Runtime session failed: Failed to allocate memory for requested buffer"));
      }
    });
  }

  @Override
  public ModelSpec spec() {
    return real.spec();
  }

  @Override
  public String modelId() {
    return real.modelId();
  }

  @Override
  public int dimension() {
    return real.dimension();
  }

  @Override
  public ModelTokenizer tokenizer() {
    return real.tokenizer();
  }

  @Override
  public Embedder newEmbedder() {
    Embedder embedder = real.newEmbedder();
    return new Embedder() {
      @Override
      public String modelId() {
        return embedder.modelId();
      }

      @Override
      public List<float[]> embedPassages(List<String> texts) {
        beforeEachCall.accept(texts);
        return embedder.embedPassages(texts);
      }

      @Override
      public float[] embedQuery(String query) {
        return embedder.embedQuery(query);
      }

      @Override
      public void close() {
        embedder.close();
      }
    };
  }

  @Override
  public void close() {
    real.close();
  }
}
