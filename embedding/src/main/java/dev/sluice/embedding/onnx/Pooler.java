package dev.sluice.embedding.onnx;

import dev.sluice.embedding.ModelSpec.Pooling;

/** Token vectors to one unit vector per text, as sentence-transformers does for these models. */
final class Pooler {

  // sentence-transformers' clamps: a text with no unmasked tokens, a zero vector.
  private static final float MIN_TOKENS = 1e-9f;
  private static final double MIN_NORM = 1e-12;

  private Pooler() {}

  /**
   * @param states last hidden state, row-major {@code [batch.size(), batch.length(), width]}
   * @return one L2-normalised vector of {@code width} per row of the batch
   */
  static float[][] pool(Pooling pooling, float[] states, TokenBatch batch, int width) {
    float[][] vectors = new float[batch.size()][];
    for (int row = 0; row < batch.size(); row++) {
      float[] vector =
          switch (pooling) {
            case MEAN -> mean(states, batch, row, width);
            case CLS -> first(states, batch, row, width);
          };
      vectors[row] = normalise(vector);
    }
    return vectors;
  }

  private static float[] mean(float[] states, TokenBatch batch, int row, int width) {
    float[] sum = new float[width];
    float tokens = 0;
    for (int t = 0; t < batch.length(); t++) {
      int token = row * batch.length() + t;
      if (batch.attentionMask()[token] == 0) {
        continue;
      }
      tokens++;
      int offset = token * width;
      for (int d = 0; d < width; d++) {
        sum[d] += states[offset + d];
      }
    }
    float divisor = Math.max(tokens, MIN_TOKENS);
    for (int d = 0; d < width; d++) {
      sum[d] /= divisor;
    }
    return sum;
  }

  private static float[] first(float[] states, TokenBatch batch, int row, int width) {
    float[] vector = new float[width];
    System.arraycopy(states, row * batch.length() * width, vector, 0, width);
    return vector;
  }

  /** Scales {@code vector} in place to unit length and returns it. */
  static float[] normalise(float[] vector) {
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    double norm = Math.max(Math.sqrt(squares), MIN_NORM);
    for (int d = 0; d < vector.length; d++) {
      vector[d] = (float) (vector[d] / norm);
    }
    return vector;
  }
}
