package dev.sluice.embedding.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Groups texts of similar token length into batches, so that padding each batch to its longest text
 * wastes little compute, while bounding a batch's texts and padded tokens (and so its memory).
 */
final class LengthBatches {

  private LengthBatches() {}

  /**
   * @param lengths token length of each text
   * @return indices into {@code lengths}, one array per batch, shortest texts first; every index
   *     appears exactly once
   */
  static List<int[]> plan(int[] lengths, int maxTexts, int maxPaddedTokens) {
    // Length in the high half and index in the low half: one primitive sort, stable by index.
    long[] byLength = new long[lengths.length];
    for (int i = 0; i < lengths.length; i++) {
      byLength[i] = ((long) lengths[i] << 32) | i;
    }
    Arrays.sort(byLength);

    List<int[]> batches = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < byLength.length; i++) {
      // Sorted ascending, so text i is the longest of a batch it joins.
      long padded = (long) (i - start + 1) * (int) (byLength[i] >>> 32);
      if (i > start && (i - start == maxTexts || padded > maxPaddedTokens)) {
        batches.add(indices(byLength, start, i));
        start = i;
      }
    }
    if (start < byLength.length) {
      batches.add(indices(byLength, start, byLength.length));
    }
    return batches;
  }

  private static int[] indices(long[] byLength, int from, int to) {
    int[] batch = new int[to - from];
    for (int i = from; i < to; i++) {
      batch[i - from] = (int) byLength[i];
    }
    return batch;
  }
}
