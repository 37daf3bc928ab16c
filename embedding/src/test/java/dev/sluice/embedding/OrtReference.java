package dev.sluice.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A second, independent embedding path for tests: the raw ONNX Runtime API, one unpadded text per
 * run, pooling and normalisation written out again in double precision. Only the tokenizer library
 * is shared with the code under test, so both paths see the same token ids.
 */
final class OrtReference implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final ModelSpec spec;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;

  OrtReference(ModelSpec spec, int windowTokens) throws IOException, OrtException {
    this.spec = spec;
    this.session =
        env.createSession(resource(spec.onnxResource()), new OrtSession.SessionOptions());
    try (InputStream json = stream(spec.tokenizerResource())) {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              json,
              Map.of(
                  "truncation", "true",
                  "maxLength", String.valueOf(windowTokens),
                  "padding", "false"));
    }
  }

  float[] embed(String text) throws OrtException {
    Encoding encoding = tokenizer.encode(text);
    try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {encoding.getIds()});
        OnnxTensor mask = OnnxTensor.createTensor(env, new long[][] {encoding.getAttentionMask()});
        OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {encoding.getTypeIds()});
        OrtSession.Result result =
            session.run(
                Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
      float[][] tokens = tokenVectors(result);
      double[] pooled = new double[tokens[0].length];
      if (spec.pooling() == ModelSpec.Pooling.CLS) {
        for (int d = 0; d < pooled.length; d++) {
          pooled[d] = tokens[0][d];
        }
      } else {
        for (float[] token : tokens) {
          for (int d = 0; d < pooled.length; d++) {
            pooled[d] += token[d] / (double) tokens.length;
          }
        }
      }
      double norm = Math.sqrt(java.util.Arrays.stream(pooled).map(v -> v * v).sum());
      float[] vector = new float[pooled.length];
      for (int d = 0; d < pooled.length; d++) {
        vector[d] = (float) (pooled[d] / norm);
      }
      return vector;
    }
  }

  // The one per-token output, whatever the export named it.
  private static float[][] tokenVectors(OrtSession.Result result) throws OrtException {
    float[][] found = null;
    for (var output : result) {
      if (output.getValue().getValue() instanceof float[][][] batch) {
        if (found != null) {
          throw new IllegalStateException("Several per-token outputs");
        }
        found = batch[0];
      }
    }
    if (found == null) {
      throw new IllegalStateException("No per-token output");
    }
    return found;
  }

  @Override
  public void close() throws OrtException {
    tokenizer.close();
    session.close();
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream stream(String name) throws IOException {
    InputStream in = OrtReference.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("Missing classpath resource " + name);
    }
    return in;
  }
}
