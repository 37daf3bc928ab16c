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
 * Marks a document failed when any stage dead-letters one of its records, unless a newer version of
 * it has been indexed since. This is how the status API can answer "why is my document missing".
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
    if (current.isPresent() && current.get().state() != State.FAILED && current.get().version() > version) {
      return;
    }
    registry.put(new DocumentStatus(letter.getTenant(), letter.getDocId(), State.FAILED, version,
        current.map(DocumentStatus::chunks).orElse(0), letter.getFailedAt(), Instant.now(),
        Optional.of(new DocumentStatus.Failure(letter.getStage(), letter.getReason(), letter.getMessage()))));
  }
}
