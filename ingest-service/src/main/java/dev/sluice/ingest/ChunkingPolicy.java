package dev.sluice.ingest;

/**
 * How documents are cut into chunks.
 *
 * @param maxTokens largest chunk, in model tokens with special tokens; chunks never exceed it
 * @param overlapPercent share of {@code maxTokens} repeated between consecutive pieces of a paragraph
 *     (or sentence) that had to be split; never between separate paragraphs, so that an edit of one
 *     paragraph changes only that paragraph's chunks
 */
public record ChunkingPolicy(int maxTokens, int overlapPercent) {
  public static final ChunkingPolicy DEFAULT = new ChunkingPolicy(256, 15);

  /**
   * Bump when extraction, cleaning or chunking changes what a document turns into, so that unchanged
   * documents are re-chunked once rather than deduplicated against chunks cut by the old rules.
   */
  static final int PIPELINE_REVISION = 1;

  public ChunkingPolicy {
    if (maxTokens < 16) {
      throw new IllegalArgumentException("maxTokens must be at least 16, was " + maxTokens);
    }
    if (overlapPercent < 0 || overlapPercent > 50) {
      throw new IllegalArgumentException("overlapPercent must be 0-50, was " + overlapPercent);
    }
  }

  /** A policy with the default overlap. */
  public ChunkingPolicy(int maxTokens) {
    this(maxTokens, DEFAULT.overlapPercent);
  }

  /** Tokens repeated at the start of the next piece of a split paragraph. */
  public int overlapTokens() {
    return maxTokens * overlapPercent / 100;
  }

  /**
   * A paragraph (list item, table row) at least this long is a chunk of its own; shorter ones (a
   * caption, a heading line, a one-line item) join the text that follows them.
   */
  public int minParagraphTokens() {
    return Math.max(8, maxTokens / 10);
  }

  /**
   * A run of short paragraphs is grouped until it reaches this size, then cut at a content-defined
   * point (see {@link TextChunker}).
   */
  public int smallRunTokens() {
    return maxTokens / 2;
  }

  /** Identifies what this policy does to a text; two documents chunked alike share it. */
  String fingerprint() {
    return "r" + PIPELINE_REVISION + ":" + maxTokens + ":" + overlapPercent;
  }
}
