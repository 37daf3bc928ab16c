package dev.sluice.embedding.onnx;

import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelSpec;
import dev.sluice.embedding.ModelTokenizer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A catalogue model: a shared ONNX session and a tokenizer with this model's window. */
final class OnnxEmbeddingModel implements EmbeddingModel {

  private final ModelSpec spec;
  private final OnnxSession session;
  private final HfModelTokenizer tokenizer;
  private final AtomicBoolean closed = new AtomicBoolean();

  OnnxEmbeddingModel(ModelSpec spec, OnnxSession session, HfModelTokenizer tokenizer) {
    this.spec = spec;
    this.session = session;
    this.tokenizer = tokenizer;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public String modelId() {
    return session.modelId();
  }

  @Override
  public int dimension() {
    return spec.dimension();
  }

  @Override
  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public Embedder newEmbedder() {
    if (closed.get()) {
      throw new IllegalStateException("Model " + modelId() + " is closed");
    }
    return new OnnxEmbedder(modelId(), spec.queryPrefix(), tokenizer, session);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tokenizer.close();
      SharedSessions.release(session);
    }
  }
}
