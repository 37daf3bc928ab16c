package dev.sluice.ingest;

import java.time.Duration;

/**
 * Limits that keep one hostile document from hurting the service.
 *
 * @param maxBytes largest input read
 * @param maxChars most characters extracted
 * @param timeout longest parse
 */
public record ParseLimits(long maxBytes, int maxChars, Duration timeout) {
  public static final ParseLimits DEFAULT = new ParseLimits(64L * 1024 * 1024, 5_000_000, Duration.ofSeconds(60));
}
