package dev.sluice.runtime.failure;

import dev.sluice.events.DeadLetter;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Kafka Streams client does with a record that failed: the decisions of its exception
 * handlers, with the state they share (the attempt counts and the dead-letter sink). Kafka Streams
 * creates a handler per task from class names, so the policy reaches them as an object in the
 * client's configuration, under {@link #CONFIG}; {@code StreamsSettings.toStreamsProperties} puts it
 * there. Thread-safe.
 */
public final class FailurePolicy {
  private static final Logger log = LoggerFactory.getLogger(FailurePolicy.class);

  /** The configuration key under which the handlers find their policy. */
  public static final String CONFIG = "sluice.failure.policy";

  /** Stable reason codes of the dead letters the handlers write. */
  public static final String PROCESSING_FAILED = "processing-failed";
  public static final String DESERIALIZATION_FAILED = "deserialization-failed";
  public static final String SERIALIZATION_FAILED = "serialization-failed";
  public static final String PRODUCE_FAILED = "produce-failed";
  public static final String RETRIES_EXHAUSTED = "retries-exhausted";

  /** Whether the record may be skipped (its dead letter is written) or the task must fail. */
  enum Outcome { CONTINUE, FAIL }

  /**
   * One failed record as a handler sees it.
   *
   * @param reason the reason code should it be dead-lettered as a bad record
   * @param where the processor or sink that failed, for messages
   * @param topic where the record came from ({@code null} when there is no input record, as in a punctuation)
   * @param offset its offset, or -1
   * @param key its key bytes as read, may be null
   * @param value its value bytes as read, may be null
   * @param consumed whether {@code topic}/{@code offset} name a consumed record (not a destination)
   */
  record FailedRecord(String reason, String where, String topic, int partition, long offset, byte[] key, byte[] value,
      Exception error, boolean consumed) {
    boolean hasOffset() {
      return topic != null && offset >= 0;
    }

    String position() {
      if (topic == null) {
        return "(no input record)";
      }
      return offset >= 0 ? topic + "-" + partition + "@" + offset : topic + "-" + partition;
    }
  }

  private final String stage;
  private final String deadLetterTopic;
  private final int maxRecordAttempts;
  private final FailureClassifier classifier;
  private final DeadLetterSink sink;
  private final AttemptCounter attempts;
  private final Clock clock;
  private volatile boolean closing;

  /**
   * @param stage the service's stage, as dead letters name it ({@code ingest}, {@code embed}, {@code index})
   * @param deadLetterTopic the dead-letter topic; its own records are never dead-lettered again
   * @param maxRecordAttempts infrastructure failures of one record at one offset before it is dead-lettered
   */
  public FailurePolicy(String stage, String deadLetterTopic, int maxRecordAttempts, FailureClassifier classifier,
      DeadLetterSink sink, AttemptCounter attempts, Clock clock) {
    if (maxRecordAttempts < 1) {
      throw new IllegalArgumentException("maxRecordAttempts must be at least 1, got " + maxRecordAttempts);
    }
    this.stage = Objects.requireNonNull(stage, "stage");
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    this.maxRecordAttempts = maxRecordAttempts;
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.attempts = Objects.requireNonNull(attempts, "attempts");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The policy in a Kafka Streams configuration, as handed to a handler's {@code configure}.
   *
   * @throws ConfigException when the configuration holds none
   */
  public static FailurePolicy from(Map<String, ?> configs) {
    if (configs.get(CONFIG) instanceof FailurePolicy policy) {
      return policy;
    }
    throw new ConfigException(CONFIG, configs.get(CONFIG),
        "the Sluice exception handlers need their FailurePolicy; build the properties with StreamsSettings.toStreamsProperties");
  }

  public String stage() {
    return stage;
  }

  public FailureClassifier classifier() {
    return classifier;
  }

  public DeadLetterSink sink() {
    return sink;
  }

  public int maxRecordAttempts() {
    return maxRecordAttempts;
  }

  /**
   * Marks the client as closing: from now on no record is skipped, whatever its failure, because a
   * failure while closing is most likely caused by the closing (a dependency stopped, a wait cut
   * short) rather than by the record; the task fails and the record replays on the next start.
   */
  public void closing() {
    closing = true;
  }

  /**
   * Decides for a record that failed while it was read, processed or serialized: a bad record is
   * dead-lettered and skipped; an infrastructure failure fails the task (the record is retried after
   * the thread's backoff) until it has failed so at this offset {@code maxRecordAttempts} times, then
   * it is dead-lettered too; a fatal failure, any failure without an input record to skip (a
   * punctuation) and any failure once the client is {@link #closing} fail the task and are left to
   * the stream-thread policy.
   *
   * @throws DeadLetterUnavailableException when the dead letter cannot be written
   */
  Outcome onRecordFailure(FailedRecord failed) {
    Exception error = failed.error();
    FailureKind kind = classifier.classify(error);
    if (kind == FailureKind.FATAL) {
      log.error("{}: fatal failure in {} at {}: {}", stage, failed.where(), failed.position(),
          FailureClassifier.describe(classifier.decisive(error)));
      return Outcome.FAIL;
    }
    if (closing) {
      log.info("{}: {} failed at {} while closing ({}); not skipping it", stage, failed.where(), failed.position(),
          FailureClassifier.describe(error));
      return Outcome.FAIL;
    }
    if (!failed.hasOffset()) {
      log.warn("{}: {} failed with no input record to skip ({}); failing the task so that it replays from its last commit",
          stage, failed.where(), FailureClassifier.describe(error));
      return Outcome.FAIL;
    }
    int attempt = attempts.failed(failed.topic(), failed.partition(), failed.offset(), error.getClass().getName());
    if (kind == FailureKind.BAD_RECORD) {
      return deadLetter(failed, failed.reason(), attempt, failed.where() + ": " + FailureClassifier.describe(error));
    }
    if (attempt < maxRecordAttempts) {
      log.warn("{}: {} failed at {} on infrastructure (attempt {} of {}), retrying after a backoff: {}", stage,
          failed.where(), failed.position(), attempt, maxRecordAttempts, FailureClassifier.describe(error));
      return Outcome.FAIL;
    }
    return deadLetter(failed, RETRIES_EXHAUSTED, attempt, failed.where() + " failed " + attempt
        + " times at this offset on infrastructure: " + FailureClassifier.describe(error));
  }

  /**
   * Dead-letters {@code failed} and returns {@link Outcome#CONTINUE}. A record read from the
   * dead-letter topic itself is only logged: dead-lettering it again would feed the topic its own
   * failures, forever; the original stays in the topic.
   *
   * @throws DeadLetterUnavailableException when the dead letter cannot be written
   */
  Outcome deadLetter(FailedRecord failed, String reason, int attempt, String message) {
    if (failed.consumed() && deadLetterTopic.equals(failed.topic())) {
      log.error("{}: skipping dead letter {} that failed again ({}): {}", stage, failed.position(), reason, message);
      return Outcome.CONTINUE;
    }
    String key = failed.key() == null ? null : new String(failed.key(), StandardCharsets.UTF_8);
    Origin origin = new Origin(failed.topic() == null ? "" : failed.topic(), failed.partition(), failed.offset());
    DeadLetter letter = DeadLetters.of(stage, Failure.of(reason, message, failed.error()), origin, key, failed.value(),
        clock.instant());
    letter.setAttempts(attempt);
    sink.write(letter);
    log.warn("{}: {} dead-lettered to {} ({}, attempt {}): {}", stage, failed.position(), deadLetterTopic, reason,
        attempt, message);
    return Outcome.CONTINUE;
  }
}
