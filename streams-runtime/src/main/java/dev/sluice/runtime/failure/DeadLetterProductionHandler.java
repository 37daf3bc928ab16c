package dev.sluice.runtime.failure;

import dev.sluice.runtime.failure.FailurePolicy.FailedRecord;
import dev.sluice.runtime.failure.FailurePolicy.Outcome;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' {@code production.exception.handler} for every Sluice service.
 *
 * <ul>
 *   <li>A record a sink cannot serialize is classified like a processing failure ({@link
 *       DeadLetterProcessingHandler}): as a bad record, the input record being processed is
 *       dead-lettered (reason {@value FailurePolicy#SERIALIZATION_FAILED}) and the output dropped.
 *   <li>A record the broker does not take: a retriable error (the producer already retried it for
 *       its delivery timeout) answers {@code RETRY}, so Kafka Streams replays the task from its last
 *       commit; a fatal one fails; any other one (too large, invalid) dead-letters the output record,
 *       as serialized, with its destination topic (reason {@value FailurePolicy#PRODUCE_FAILED}),
 *       because by then Kafka Streams no longer says reliably which input record it came from.
 * </ul>
 *
 * <p>A send failure is handled on the producer's network thread, which waits for the dead letter to
 * be acknowledged (at most {@code streams.dlq.timeout.ms}); such failures are rare.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

  private FailurePolicy policy;

  @Override
  public void configure(Map<String, ?> configs) {
    policy = FailurePolicy.from(configs);
  }

  @Override
  @SuppressWarnings("rawtypes") // the signature Kafka Streams declares
  public ProductionExceptionHandlerResponse handleSerializationException(
      ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    FailedRecord failed = new FailedRecord(FailurePolicy.SERIALIZATION_FAILED,
        "sink to " + record.topic() + " (" + origin.name().toLowerCase(Locale.ROOT) + ")",
        context.topic(), context.partition(), context.offset(),
        RawBytes.or(context.sourceRawKey(), record.key()), context.sourceRawValue(), exception, true);
    return policy.onRecordFailure(failed) == Outcome.CONTINUE
        ? ProductionExceptionHandlerResponse.CONTINUE
        : ProductionExceptionHandlerResponse.FAIL;
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    String stage = policy.stage();
    FailureKind kind = policy.classifier().classify(exception);
    if (kind == FailureKind.FATAL) {
      log.error("{}: fatal failure writing to {}: {}", stage, record.topic(),
          FailureClassifier.describe(policy.classifier().decisive(exception)));
      return ProductionExceptionHandlerResponse.FAIL;
    }
    if (exception instanceof RetriableException) {
      log.warn("{}: cannot write to {} ({}); the task replays from its last commit", stage, record.topic(),
          FailureClassifier.describe(exception));
      return ProductionExceptionHandlerResponse.RETRY;
    }
    if (kind == FailureKind.INFRASTRUCTURE) {
      log.warn("{}: cannot write to {} ({}); failing the task", stage, record.topic(), FailureClassifier.describe(exception));
      return ProductionExceptionHandlerResponse.FAIL;
    }
    FailedRecord failed = new FailedRecord(FailurePolicy.PRODUCE_FAILED, "producing to " + record.topic(),
        record.topic(), record.partition() == null ? -1 : record.partition(), -1L, record.key(), record.value(),
        exception, false);
    policy.deadLetter(failed, FailurePolicy.PRODUCE_FAILED, 1,
        "cannot write to " + record.topic() + ": " + FailureClassifier.describe(exception));
    return ProductionExceptionHandlerResponse.CONTINUE;
  }
}
