package dev.sluice.index;

import java.time.Instant;
import java.util.Optional;

/**
 * The status of one document.
 *
 * @param version last version accepted for this document
 * @param chunks number of points of that version
 * @param eventTime when the source says the version was produced
 * @param updatedAt when this status was written (for {@code indexed}: when it became searchable)
 * @param failure stage and reason, for a failed document
 */
public record DocumentStatus(
    String tenant,
    String docId,
    State state,
    long version,
    int chunks,
    Instant eventTime,
    Instant updatedAt,
    Optional<Failure> failure) {

  public enum State {
    PENDING,
    INDEXED,
    DELETED,
    FAILED
  }

  /** Why a document failed: the stage and the dead-letter reason code and message. */
  public record Failure(String stage, String reason, String message) {}
}
