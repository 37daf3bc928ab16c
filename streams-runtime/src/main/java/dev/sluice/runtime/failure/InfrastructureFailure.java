package dev.sluice.runtime.failure;

/**
 * Marks an exception as a failure of a dependency rather than of the record being processed: the
 * record is retried after a backoff instead of being dead-lettered at once. Implement it on the
 * exceptions a service throws when its index, model runtime or another remote dependency is
 * unavailable. Exceptions of modules that cannot depend on streams-runtime are named instead, with
 * {@code streams.infrastructure.exceptions} or {@code StreamsSettings#withInfrastructure}.
 */
public interface InfrastructureFailure {}
