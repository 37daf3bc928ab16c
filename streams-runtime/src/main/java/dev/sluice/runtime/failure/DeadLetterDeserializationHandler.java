package dev.sluice.runtime.failure;

import dev.sluice.runtime.failure.FailurePolicy.FailedRecord;
import dev.sluice.runtime.failure.FailurePolicy.Outcome;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Kafka Streams' {@code deserialization.exception.handler} for every Sluice service: a record its
 * source cannot deserialize is dead-lettered with its bytes, as read, and skipped, instead of
 * stopping its partition (the default handler fails the thread on it, again after every restart).
 * Classified like a processing failure ({@link DeadLetterProcessingHandler}).
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private FailurePolicy policy;

  @Override
  public void configure(Map<String, ?> configs) {
    policy = FailurePolicy.from(configs);
  }

  @Override
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    FailedRecord failed = new FailedRecord(FailurePolicy.DESERIALIZATION_FAILED, "source '" + context.processorNodeId() + "'",
        record.topic(), record.partition(), record.offset(), record.key(), record.value(), exception, true);
    return policy.onRecordFailure(failed) == Outcome.CONTINUE
        ? DeserializationHandlerResponse.CONTINUE
        : DeserializationHandlerResponse.FAIL;
  }
}
