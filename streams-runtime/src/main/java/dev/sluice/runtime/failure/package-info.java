/**
 * How a Sluice stream service handles failures, so that one bad record never stops a partition and
 * a failing dependency never turns into a silent replay loop.
 *
 * <p>Every service's Kafka Streams client gets three exception handlers from {@code
 * StreamsSettings.toStreamsProperties}: {@link DeadLetterProcessingHandler} (what a processor or
 * punctuator throws, KIP-1033), {@link DeadLetterProductionHandler} (a sink that cannot serialize, a
 * broker that refuses a record) and {@link DeadLetterDeserializationHandler} (a source that cannot
 * deserialize). They share the client's {@link FailurePolicy}, which classifies each failure with a
 * {@link FailureClassifier}, looking at every exception of its cause chain:
 *
 * <table>
 *   <caption>Classification of failures</caption>
 *   <tr><th>kind</th><th>what it is</th><th>what happens</th></tr>
 *   <tr><td>{@link FailureKind#FATAL fatal}</td>
 *       <td>{@code FatalServiceException} (bad configuration, a model that cannot load, a closed index),
 *           any {@link java.lang.Error}, Kafka authentication/authorization failures</td>
 *       <td>the task fails; the stream thread's uncaught-exception policy ({@link StreamThreadFailures})
 *           stops the service ({@code SHUTDOWN_CLIENT}) with one line naming the cause</td></tr>
 *   <tr><td>{@link FailureKind#INFRASTRUCTURE infrastructure}</td>
 *       <td>an {@link InfrastructureFailure}, a Kafka {@code RetriableException}, a refused connection, a
 *           timeout or an interrupt, or a class named in {@code streams.infrastructure.exceptions} (e.g.
 *           the index's {@code IndexUnavailableException})</td>
 *       <td>the task fails and the thread is replaced after a backoff that doubles up to {@code
 *           streams.thread.replace.backoff.max.ms}; the record replays. When the same record has failed
 *           so, with the same exception class, at the same offset {@code streams.max.record.attempts}
 *           times (default 5), it is dead-lettered (reason {@value FailurePolicy#RETRIES_EXHAUSTED},
 *           {@code attempts} = that count) and skipped. A broker refusing a write with a retriable
 *           error makes Kafka Streams replay the task ({@code RETRY})</td></tr>
 *   <tr><td>{@link FailureKind#BAD_RECORD bad record}</td>
 *       <td>anything else</td>
 *       <td>dead-lettered at once with its original key and value bytes, topic, partition and offset,
 *           stage, reason code ({@value FailurePolicy#PROCESSING_FAILED}, {@value
 *           FailurePolicy#DESERIALIZATION_FAILED}, {@value FailurePolicy#SERIALIZATION_FAILED} or
 *           {@value FailurePolicy#PRODUCE_FAILED}) and exception class; processing goes on with the next
 *           record ({@code CONTINUE})</td></tr>
 * </table>
 *
 * <p>Exceptions to the table, each for a reason:
 *
 * <ul>
 *   <li>A failure with no input record to skip (a punctuation) fails the task whatever its kind:
 *       skipping it could drop work the punctuation had taken over, while a replay from the last
 *       commit redoes it. A bug that keeps failing so stops the service after {@code
 *       streams.thread.max.failures} failures in a row.
 *   <li>A record read from the dlq topic itself is never dead-lettered again (that would feed the topic
 *       its own failures); it is logged and skipped, the original staying in the topic.
 *   <li>Once the client is closing ({@link FailurePolicy#closing}), no record is skipped: a failure
 *       then is most likely caused by the close, so the task fails and the record replays on the next
 *       start.
 *   <li>A dead letter that cannot be written ({@link DeadLetterUnavailableException}, after {@code
 *       streams.dlq.timeout.ms}) is an infrastructure failure: the record is not skipped but retried.
 * </ul>
 *
 * <p>Attempt counts ({@link AttemptCounter}) live in the memory of the client: a replaced thread sees
 * its predecessors' counts, a restarted process counts from zero again, so a record is tried at most
 * {@code streams.max.record.attempts} times per process lifetime. Dead letters are written by a
 * producer outside the stream task's transaction ({@link KafkaDeadLetterSink}): under exactly-once a
 * task that aborts after dead-lettering a record writes its dead letter again on replay, so consumers
 * of the dlq topic must tolerate duplicates.
 */
package dev.sluice.runtime.failure;
