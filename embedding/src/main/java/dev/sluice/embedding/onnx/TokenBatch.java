package dev.sluice.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;

/**
 * Encoded texts padded to the longest of them, row-major {@code [size, length]}: the encoder's
 * three int64 inputs. Padding uses id 0 ([PAD] in BERT vocabularies) with attention mask 0, so it
 * changes neither attention nor pooling.
 */
record TokenBatch(int size, int length, long[] inputIds, long[] attentionMask, long[] typeIds) {

  /** The encodings at {@code rows}, in that order. */
  static TokenBatch of(Encoding[] encodings, int[] rows) {
    int length = 0;
    for (int row : rows) {
      length = Math.max(length, encodings[row].getIds().length);
    }
    int size = rows.length;
    long[] ids = new long[size * length];
    long[] mask = new long[size * length];
    long[] types = new long[size * length];
    for (int i = 0; i < size; i++) {
      Encoding encoding = encodings[rows[i]];
      int n = encoding.getIds().length;
      System.arraycopy(encoding.getIds(), 0, ids, i * length, n);
      System.arraycopy(encoding.getAttentionMask(), 0, mask, i * length, n);
      System.arraycopy(encoding.getTypeIds(), 0, types, i * length, n);
    }
    return new TokenBatch(size, length, ids, mask, types);
  }
}
