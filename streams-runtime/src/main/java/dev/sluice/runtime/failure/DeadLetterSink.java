package dev.sluice.runtime.failure;

import dev.sluice.events.DeadLetter;

/**
 * Where the exception handlers write dead letters. Kafka Streams 4.1 gives its handlers no way to
 * forward a record (KIP-1034's dead-letter records arrive in 4.2), so they write through a sink of
 * their own: {@link KafkaDeadLetterSink} in a service, a list ({@code letters::add}) in a test.
 */
@FunctionalInterface
public interface DeadLetterSink extends AutoCloseable {
  /**
   * Writes {@code letter} to the dead-letter topic and returns once it is stored.
   *
   * @throws DeadLetterUnavailableException when it cannot be written: the record it is for must then
   *     not be skipped
   */
  void write(DeadLetter letter);

  /** Releases the sink's resources; nothing to release by default. */
  @Override
  default void close() {}
}
