package dev.sluice.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import java.util.List;

/** One thread's embedder: owns a DJL predictor on the shared session. Not thread-safe. */
final class OnnxEmbedder implements Embedder {

  static final int MAX_BATCH_TEXTS = 32;

  // Padded tokens per ONNX Runtime run. Short texts still run 32 at a time, but long ones go in
  // small groups: a run's activations (attention grows with texts x tokens^2) then stay in the CPU
  // caches. Measured on 2 cores with 256-token passages, interleaved with plain one-text runs:
  // 4 texts per run reach 100-110 % of them, 32 texts per run only 81-94 %.
  static final int MAX_BATCH_TOKENS = 4 * 256;

  private final String modelId;
  private final String queryPrefix;
  private final HfModelTokenizer tokenizer;
  private final Predictor<TokenBatch, float[][]> predictor;
  private boolean closed;

  OnnxEmbedder(
      String modelId,
      String queryPrefix,
      HfModelTokenizer tokenizer,
      Predictor<TokenBatch, float[][]> predictor) {
    this.modelId = modelId;
    this.queryPrefix = queryPrefix;
    this.tokenizer = tokenizer;
    this.predictor = predictor;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    if (closed) {
      throw new IllegalStateException("Embedder for " + modelId + " is closed");
    }
    if (texts.isEmpty()) {
      return List.of();
    }
    Encoding[] encodings = encode(texts);
    int[] lengths = new int[encodings.length];
    for (int i = 0; i < encodings.length; i++) {
      lengths[i] = encodings[i].getIds().length;
    }
    float[][] vectors = new float[texts.size()][];
    for (int[] rows : LengthBatches.plan(lengths, MAX_BATCH_TEXTS, MAX_BATCH_TOKENS)) {
      float[][] batch = run(TokenBatch.of(encodings, rows));
      for (int i = 0; i < rows.length; i++) {
        vectors[rows[i]] = batch[i];
      }
    }
    return List.of(vectors);
  }

  @Override
  public float[] embedQuery(String query) {
    return embedPassages(List.of(queryPrefix + query)).get(0);
  }

  // The tokenizer is a pure function of its input: when it fails, a text is to blame, which
  // callers find by retrying text by text.
  private Encoding[] encode(List<String> texts) {
    try {
      return tokenizer.encodeForModel(texts);
    } catch (RuntimeException e) {
      throw new InputRejectedException(
          "Model " + modelId + " could not tokenize a batch of " + texts.size() + " texts", e);
    }
  }

  private float[][] run(TokenBatch batch) {
    try {
      return predictor.predict(batch);
    } catch (TranslateException | RuntimeException e) {
      throw new EngineFailureException(
          "Model "
              + modelId
              + " failed on a batch of "
              + batch.size()
              + " texts of up to "
              + batch.length()
              + " tokens",
          e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      predictor.close();
    }
  }
}
