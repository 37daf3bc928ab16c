package dev.sluice.runtime.failure;

import dev.sluice.runtime.failure.FailurePolicy.FailedRecord;
import dev.sluice.runtime.failure.FailurePolicy.Outcome;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' {@code processing.exception.handler} for every Sluice service (KIP-1033): an
 * exception a processor or punctuator throws is classified by the client's {@link FailurePolicy}. A
 * bad record is dead-lettered with its original bytes and skipped ({@code CONTINUE}); an
 * infrastructure failure fails the task until the record has failed so {@code
 * streams.max.record.attempts} times at its offset, then it is dead-lettered too; a fatal failure
 * fails the task, and the service stops.
 *
 * <p>Kafka Streams 4.1 frees a record's original bytes once one of its outputs has been serialized;
 * a processor that fails after forwarding then has its dead letter built from the record as the
 * processor received it (its bytes, for Sluice's byte-array sources).
 *
 * <p>Throws {@link DeadLetterUnavailableException} when the dead letter cannot be written; Kafka
 * Streams then fails the task ("Fatal user code error in processing error callback") and the record
 * is retried after the stream thread's backoff.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private FailurePolicy policy;

  @Override
  public void configure(Map<String, ?> configs) {
    policy = FailurePolicy.from(configs);
  }

  @Override
  public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    FailedRecord failed = new FailedRecord(FailurePolicy.PROCESSING_FAILED, "processor '" + context.processorNodeId() + "'",
        context.topic(), context.partition(), context.offset(),
        RawBytes.or(context.sourceRawKey(), record == null ? null : record.key()),
        RawBytes.or(context.sourceRawValue(), record == null ? null : record.value()),
        exception, true);
    return policy.onRecordFailure(failed) == Outcome.CONTINUE
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }
}
