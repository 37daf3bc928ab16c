package dev.sluice.runtime.failure;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a stream service treats failures; parsed and validated by {@code StreamsSettings}, whose keys
 * are given here.
 *
 * @param maxRecordAttempts {@code streams.max.record.attempts}: infrastructure failures of one record
 *     at one offset (same exception class) before it is dead-lettered with that count and skipped
 * @param threadBackoff {@code streams.thread.replace.backoff.ms}: wait before replacing a failed
 *     stream thread; doubles with each failure in a row
 * @param threadBackoffMax {@code streams.thread.replace.backoff.max.ms}: longest such wait
 * @param maxThreadFailures {@code streams.thread.max.failures}: stream-thread failures in a row that
 *     are neither infrastructure nor fatal (a bug outside record handling) before the service stops
 * @param deadLetterTimeout {@code streams.dlq.timeout.ms}: longest wait for the dead-letter topic to
 *     acknowledge one dead letter
 * @param infrastructureExceptions {@code streams.infrastructure.exceptions}: further exception classes
 *     (fully qualified names) that count as infrastructure failures
 */
public record FailureSettings(
    int maxRecordAttempts,
    Duration threadBackoff,
    Duration threadBackoffMax,
    int maxThreadFailures,
    Duration deadLetterTimeout,
    List<String> infrastructureExceptions) {

  /** The defaults of the settings' keys. */
  public static final FailureSettings DEFAULTS =
      new FailureSettings(5, Duration.ofSeconds(1), Duration.ofMinutes(1), 5, Duration.ofSeconds(10), List.of());

  public FailureSettings {
    if (maxRecordAttempts < 1 || maxThreadFailures < 1) {
      throw new IllegalArgumentException("attempts and failures must be at least 1");
    }
    if (threadBackoff.isNegative() || threadBackoffMax.isNegative() || !deadLetterTimeout.isPositive()) {
      throw new IllegalArgumentException("backoffs must not be negative and the dead-letter timeout must be positive");
    }
    infrastructureExceptions = List.copyOf(infrastructureExceptions);
  }

  /** The same settings with more exception classes counted as infrastructure failures. */
  public FailureSettings withInfrastructure(Collection<String> classNames) {
    Set<String> names = new LinkedHashSet<>(infrastructureExceptions);
    classNames.forEach(name -> names.add(Objects.requireNonNull(name, "class name")));
    return new FailureSettings(maxRecordAttempts, threadBackoff, threadBackoffMax, maxThreadFailures, deadLetterTimeout,
        List.copyOf(names));
  }
}
