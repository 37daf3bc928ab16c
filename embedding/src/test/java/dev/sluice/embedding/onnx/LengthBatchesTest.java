package dev.sluice.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LengthBatchesTest {

  @Test
  void everyTextOnceShortestFirst() {
    int[] lengths = {50, 3, 200, 3, 17, 256, 9};

    List<int[]> batches = LengthBatches.plan(lengths, 2, 10_000);

    assertThat(batches).extracting(Arrays::toString)
        .containsExactly("[1, 3]", "[6, 4]", "[0, 2]", "[5]");
  }

  @Test
  void paddedTokensStayWithinBudget() {
    int[] lengths = IntStream.range(0, 100).map(i -> 1 + (i * 37) % 256).toArray();

    List<int[]> batches = LengthBatches.plan(lengths, 32, 2048);

    assertThat(batches.stream().mapToInt(b -> b.length).sum()).isEqualTo(100);
    assertThat(batches.stream().flatMapToInt(Arrays::stream).sorted().toArray())
        .containsExactly(IntStream.range(0, 100).toArray());
    for (int[] batch : batches) {
      int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
      assertThat(batch.length).isLessThanOrEqualTo(32);
      assertThat(batch.length * longest).isLessThanOrEqualTo(2048);
    }
  }

  @Test
  void textOverBudgetGetsItsOwnBatch() {
    assertThat(LengthBatches.plan(new int[] {600, 5}, 32, 512))
        .extracting(Arrays::toString)
        .containsExactly("[1]", "[0]");
  }

  @Test
  void noTextsNoBatches() {
    assertThat(LengthBatches.plan(new int[0], 32, 512)).isEmpty();
  }
}
