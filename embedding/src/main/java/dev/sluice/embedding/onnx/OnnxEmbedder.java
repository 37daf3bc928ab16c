package dev.sluice.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.OrtException;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.InputRejectedException;
import java.util.List;

/** One thread's embedder on the shared session. Not thread-safe (callers keep one per thread). */
final class OnnxEmbedder implements Embedder {

  static final int MAX_BATCH_TEXTS = 32;

  // Padded tokens per ONNX Runtime run: one window. Short texts share a run, a text of more than
  // half a window runs alone. Real chunks are not all of one length, and every padded token is
  // computed; measured on the 2-core build machine, CPU time of Sluice's embedder over plain
  // one-text runs of the same texts, in one JVM: 300-500 SciFact chunks (about 180 tokens) 1.20-1.23
  // at 1,024 tokens per run, 1.09-1.11 at 512, 1.02-1.03 at 256; 500 chunks of Tika's PDF test
  // documents (about 86 tokens) 1.03-1.13 at 1,024, 0.91-0.98 at 256. (A run of four 256-token
  // passages did reach 100-110 % of one-text runs, but those passages were all of one length.)
  static final int MAX_BATCH_TOKENS = 256;

  private final String modelId;
  private final String queryPrefix;
  private final HfModelTokenizer tokenizer;
  private final OnnxSession session;
  private boolean closed;

  OnnxEmbedder(String modelId, String queryPrefix, HfModelTokenizer tokenizer, OnnxSession session) {
    this.modelId = modelId;
    this.queryPrefix = queryPrefix;
    this.tokenizer = tokenizer;
    this.session = session;
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
      return session.encode(batch);
    } catch (OrtException | RuntimeException e) {
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

  // The session is the model's, shared by every embedder; it closes with the model.
  @Override
  public void close() {
    closed = true;
  }
}
