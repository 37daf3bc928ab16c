package dev.sluice.index;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The status of one document.
 *
 * @param version last version accepted for this document (for {@code failed}: the version that failed)
 * @param chunks number of points of that version
 * @param eventTime when the source says the version was produced
 * @param updatedAt when this status was written (for {@code indexed}: when it became searchable)
 * @param failure stage and reason, for a failed document
 * @param stage for a {@code pending} document, the stage the version is in (embed, index)
 * @param searchableVersion the version search returns now, when there is one: for {@code indexed}
 *     it is {@code version}; a pending or failed newer version leaves the previous one searchable
 */
public record DocumentStatus(
    String tenant,
    String docId,
    State state,
    long version,
    int chunks,
    Instant eventTime,
    Instant updatedAt,
    Optional<Failure> failure,
    Optional<String> stage,
    Optional<Long> searchableVersion) {

  public enum State {
    PENDING,
    INDEXED,
    DELETED,
    FAILED
  }

  /** Why a document failed: the stage and the dead-letter reason code and message. */
  public record Failure(String stage, String reason, String message) {}

  public DocumentStatus {
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(searchableVersion, "searchableVersion");
  }

  /** A status without a pending stage; an indexed one is searchable at its version. */
  public DocumentStatus(String tenant, String docId, State state, long version, int chunks, Instant eventTime,
      Instant updatedAt, Optional<Failure> failure) {
    this(tenant, docId, state, version, chunks, eventTime, updatedAt, failure, Optional.empty(),
        state == State.INDEXED ? Optional.of(version) : Optional.empty());
  }

  /** The version search returns while this document's status moves on from {@code previous}. */
  public static Optional<Long> searchableAfter(Optional<DocumentStatus> previous) {
    return previous.flatMap(p -> p.state() == State.INDEXED ? Optional.of(p.version()) : p.searchableVersion());
  }
}
