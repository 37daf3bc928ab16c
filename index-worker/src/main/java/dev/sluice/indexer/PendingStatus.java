package dev.sluice.indexer;

import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Marks a document version pending, with the stage it is in, so the status API answers for a
 * document in flight instead of 404. Pending never hides what is known to be newer or final: a
 * version already indexed, deleted or failed (or a newer one in any state) keeps its status, and a
 * pending version only moves forward through the stages. Idempotent.
 */
final class PendingStatus {

  /** The stages a version passes through after ingest accepted it, in order. */
  static final List<String> STAGES = List.of("embed", "index");

  private final DocumentRegistry registry;

  PendingStatus(DocumentRegistry registry) {
    this.registry = registry;
  }

  /** Records that {@code version} of the document is now in {@code stage}; false when that changed nothing. */
  boolean record(String tenant, String docId, long version, String stage, Instant eventTime, Instant now) {
    Optional<DocumentStatus> current = registry.get(tenant, docId);
    if (current.isPresent() && !movesForward(current.get(), version, stage)) {
      return false;
    }
    registry.put(new DocumentStatus(tenant, docId, State.PENDING, version, 0, eventTime, now, Optional.empty(),
        Optional.of(stage), DocumentStatus.searchableAfter(current)));
    return true;
  }

  private static boolean movesForward(DocumentStatus current, long version, String stage) {
    if (current.version() != version) {
      return current.version() < version;
    }
    return current.state() == State.PENDING
        && STAGES.indexOf(stage) > STAGES.indexOf(current.stage().orElse(""));
  }
}
