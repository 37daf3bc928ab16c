package dev.sluice.ingest;

import java.time.Duration;

/**
 * Limits that keep one hostile document from hurting the service.
 *
 * @param maxBytes largest document read or parsed, whatever its source
 * @param inlineMaxBytes largest inline {@code content}; larger documents must travel by reference
 * @param maxChars most characters extracted from one document (embedded documents included)
 * @param timeout longest parse of one document
 * @param maxEmbeddedDepth deepest nesting of embedded documents parsed (an attachment of an
 *     attachment is depth 2); deeper ones are skipped, not failed
 * @param maxEmbeddedCount most embedded documents parsed per document; further ones are skipped
 */
public record ParseLimits(
    long maxBytes, long inlineMaxBytes, int maxChars, Duration timeout, int maxEmbeddedDepth, int maxEmbeddedCount) {

  public static final ParseLimits DEFAULT =
      new ParseLimits(64L * 1024 * 1024, 512L * 1024, 5_000_000, Duration.ofSeconds(60), 5, 500);

  /**
   * Above this many characters of output, Tika checks the output/input ratio (zip-bomb protection);
   * Tika's own default.
   */
  public static final long BOMB_CHECK_THRESHOLD_CHARS = 1_000_000;

  /** Largest output/input ratio tolerated past {@link #BOMB_CHECK_THRESHOLD_CHARS}; Tika's default. */
  public static final long MAX_COMPRESSION_RATIO = 100;
}
