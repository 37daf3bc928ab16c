package dev.sluice.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.embedding.ModelSpec.Pooling;
import org.junit.jupiter.api.Test;

class PoolerTest {

  // Two texts padded to 3 tokens, width 2; the second text's last token is padding.
  private static final TokenBatch BATCH =
      new TokenBatch(2, 3, new long[6], new long[] {1, 1, 1, 1, 1, 0}, new long[6]);
  private static final float[] STATES = {3, 0, 0, 4, 0, 8, 3, 4, 1, 0, 100, -100};

  @Test
  void meanIgnoresPaddingThenNormalises() {
    float[][] vectors = Pooler.pool(Pooling.MEAN, STATES, BATCH, 2);

    // Means (1, 4) and (2, 2).
    assertThat(vectors[0][0]).isCloseTo(1 / (float) Math.sqrt(17), within(1e-6f));
    assertThat(vectors[0][1]).isCloseTo(4 / (float) Math.sqrt(17), within(1e-6f));
    assertThat(vectors[1][0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    assertThat(vectors[1][1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
  }

  @Test
  void clsTakesTheFirstToken() {
    float[][] vectors = Pooler.pool(Pooling.CLS, STATES, BATCH, 2);

    assertThat(vectors[0]).containsExactly(1, 0);
    assertThat(vectors[1]).containsExactly(0.6f, 0.8f);
  }

  @Test
  void zeroVectorStaysZero() {
    assertThat(Pooler.normalise(new float[] {0, 0})).containsExactly(0, 0);
  }
}
