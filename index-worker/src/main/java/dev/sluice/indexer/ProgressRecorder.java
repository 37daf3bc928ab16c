package dev.sluice.indexer;

import dev.sluice.events.DocumentProgress;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * progress → pending document statuses: a version ingest accepted reads as pending (in embed)
 * until the index-worker indexes, deletes or fails it.
 */
final class ProgressRecorder implements Processor<String, DocumentProgress, Void, Void> {
  private final PendingStatus pending;

  ProgressRecorder(PendingStatus pending) {
    this.pending = pending;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    // Registry writes are committed with the index, before the progress offsets.
    context.getStateStore(IndexCommitStore.NAME);
  }

  @Override
  public void process(Record<String, DocumentProgress> record) {
    DocumentProgress progress = record.value();
    if (progress == null || !PendingStatus.STAGES.contains(progress.getStage())) {
      return;
    }
    pending.record(progress.getTenant(), progress.getDocId(), progress.getDocVersion(), progress.getStage(),
        progress.getEventTime(), Instant.now());
  }
}
