package dev.sluice.runtime.failure;

/** What a failure says about its record, and so what is done with it (see the package documentation). */
public enum FailureKind {
  /** The record itself cannot be handled: dead-letter it and go on with the next one. */
  BAD_RECORD,
  /** A dependency (broker, index, model runtime) failed: retry the record after a backoff, a bounded number of times. */
  INFRASTRUCTURE,
  /** Nothing a retry or a skip can cure (configuration, credentials, a broken runtime): stop the service. */
  FATAL
}
