package dev.sluice.ingest;

/**
 * How documents are cut into chunks.
 *
 * @param maxTokens largest chunk, in model tokens with special tokens; chunks never exceed it
 */
public record ChunkingPolicy(int maxTokens) {
  public static final ChunkingPolicy DEFAULT = new ChunkingPolicy(256);

  /** Paragraphs shorter than this are merged into the next one (a heading line, a caption). */
  public int minParagraphTokens() {
    return Math.max(8, maxTokens / 20);
  }
}
