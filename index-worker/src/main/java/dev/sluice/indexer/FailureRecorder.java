package dev.sluice.indexer;

import dev.sluice.events.DeadLetter;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The one path that marks a document failed: every stage, the index-worker included, dead-letters
 * what it cannot process, and this turns each dead letter of a document into its {@code failed}
 * status, with the stage and reason. The status API can then answer "why is my document missing"
 * whatever stage dropped it, and tell which older version is still searchable.
 *
 * <p>A dead letter never overrides a newer version's status. For the same version, a later letter
 * replaces an earlier one, except that the index's own {@code chunks-missing} (a consequence) never
 * replaces the upstream reason that caused it (a chunk dead-lettered by embed, say).
 */
final class FailureRecorder implements Processor<String, DeadLetter, Void, Void> {
  private final DocumentRegistry registry;

  FailureRecorder(DocumentRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    context.getStateStore(IndexCommitStore.NAME);
  }

  @Override
  public void process(Record<String, DeadLetter> record) {
    DeadLetter letter = record.value();
    if (letter == null || letter.getTenant() == null || letter.getDocId() == null) {
      return;
    }
    long version = Optional.ofNullable(letter.getDocVersion()).orElse(0L);
    Optional<DocumentStatus> current = registry.get(letter.getTenant(), letter.getDocId());
    if (current.isPresent() && !replaces(current.get(), version, letter.getReason())) {
      return;
    }
    registry.put(new DocumentStatus(letter.getTenant(), letter.getDocId(), State.FAILED, version,
        current.filter(c -> c.version() == version).map(DocumentStatus::chunks).orElse(0), letter.getFailedAt(), Instant.now(),
        Optional.of(new DocumentStatus.Failure(letter.getStage(), letter.getReason(), letter.getMessage())), Optional.empty(),
        DocumentStatus.searchableAfter(current)));
  }

  private static boolean replaces(DocumentStatus current, long version, String reason) {
    if (current.version() != version) {
      return current.version() < version;
    }
    return switch (current.state()) {
      case PENDING -> true;
      case FAILED -> !VersionSwap.CHUNKS_MISSING.equals(reason);
      // A version indexed or deleted is settled: a late or replayed letter of it changes nothing.
      case INDEXED, DELETED -> false;
    };
  }
}
