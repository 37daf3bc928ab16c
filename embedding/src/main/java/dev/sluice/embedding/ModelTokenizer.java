package dev.sluice.embedding;

import java.util.List;

/**
 * The embedding model's own tokenizer, used for token-based chunking so that chunk budgets are
 * measured exactly as the model will see the text. Thread-safe.
 */
public interface ModelTokenizer {

  /** Model window in tokens, special tokens ([CLS], [SEP]) included; 256 by default. */
  int windowTokens();

  /** Tokens the model sees for this text, special tokens included, not truncated. */
  int countTokens(String text);

  /**
   * Character spans {@code [start, end)} in {@code text} of each content token (special tokens
   * excluded), in order; lets a chunker cut an over-long sentence exactly at a token boundary.
   */
  List<Span> tokenSpans(String text);

  /** A half-open character range. */
  record Span(int start, int end) {}
}
