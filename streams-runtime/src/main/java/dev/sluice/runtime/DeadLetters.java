package dev.sluice.runtime;

import dev.sluice.events.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds {@link DeadLetter} records: the stage, a stable reason code, a message a person can act on,
 * and the original record with its topic/partition/offset so that it can be replayed.
 */
public final class DeadLetters {
  private DeadLetters() {}

  /** Where the failed record came from (absent for punctuation-triggered work). */
  public record Origin(String topic, int partition, long offset) {
    public static Origin of(Optional<RecordMetadata> metadata) {
      return metadata
          .map(m -> new Origin(m.topic(), m.partition(), m.offset()))
          .orElse(new Origin("", -1, -1L));
    }
  }

  /** A failure of one record, as a processor classifies it. */
  public record Failure(String reason, String message, Optional<Throwable> cause) {
    public static Failure of(String reason, String message) {
      return new Failure(reason, message, Optional.empty());
    }

    public static Failure of(String reason, String message, Throwable cause) {
      return new Failure(reason, message, Optional.of(cause));
    }
  }

  /**
   * The dead letter for one record; tenant, docId and docVersion are read from the key and the
   * original value where they parse.
   *
   * @param key the record key (tenant/docId), may be null for malformed records
   * @param originalValue the bytes as read, may be null
   */
  public static DeadLetter of(
      String stage, Failure failure, Origin origin, String key, byte[] originalValue, Instant now) {
    Optional<dev.sluice.schemas.DocumentKey> documentKey = parseKey(key);
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setReason(failure.reason())
        .setMessage(failure.message())
        .setExceptionClass(failure.cause().map(t -> t.getClass().getName()).orElse(null))
        .setTopic(origin.topic())
        .setPartition(origin.partition())
        .setOffset(origin.offset())
        .setKey(key)
        .setOriginalValue(originalValue == null ? null : ByteBuffer.wrap(originalValue))
        .setAttempts(1)
        .setFailedAt(now)
        .setTenant(documentKey.map(dev.sluice.schemas.DocumentKey::tenant).orElse(null))
        .setDocId(documentKey.map(dev.sluice.schemas.DocumentKey::docId).orElse(null))
        .setDocVersion(RecordVersions.of(originalValue).orElse(null))
        .build();
  }

  private static Optional<dev.sluice.schemas.DocumentKey> parseKey(String key) {
    try {
      return Optional.of(dev.sluice.schemas.DocumentKey.parse(key));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
