package dev.sluice.indexer;

import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.Operation;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.VectorIndex;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import dev.sluice.schemas.AvroSerdes;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the vectors topic to the index. Chunks of version v are upserted as they come (by their
 * stable ids, so replays change nothing); the manifest of v, which follows them in the partition, then
 * retires the document's points that v no longer contains and marks the document indexed at v. So the
 * previous version stays searchable until the new one is complete. Anything older than the version
 * already indexed is ignored.
 */
final class IndexProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(IndexProcessor.class);
  static final String STAGE = "index";

  private final VectorIndex index;
  private final DocumentRegistry registry;
  private final IndexMetrics metrics;
  private final AvroSerdes.Codec<VectorTopicRecord> codec = AvroSerdes.codec(VectorTopicRecord.class);
  private ProcessorContext<String, SpecificRecord> context;

  IndexProcessor(VectorIndex index, DocumentRegistry registry, IndexMetrics metrics) {
    this.index = index;
    this.registry = registry;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    context.getStateStore(IndexCommitStore.NAME);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    VectorTopicRecord value;
    try {
      value = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Failure.of("malformed-record", e.getMessage(), e));
      return;
    }
    if (value.getBody() instanceof EmbeddedChunk chunk) {
      upsert(record, chunk);
    } else if (value.getBody() instanceof DocumentManifest manifest) {
      complete(manifest);
    }
  }

  private void upsert(Record<String, byte[]> record, EmbeddedChunk embedded) {
    var chunk = embedded.getChunk();
    if (isOlderThanIndexed(chunk.getTenant(), chunk.getDocId(), chunk.getDocVersion())) {
      metrics.stale();
      return;
    }
    Optional<String> indexModel = index.modelId();
    if (indexModel.isPresent() && !indexModel.get().equals(embedded.getModelId())) {
      deadLetter(record, Failure.of("model-mismatch",
          "vector of model " + embedded.getModelId() + " offered to an index of model " + indexModel.get()));
      return;
    }
    index.upsert(List.of(PointMapping.toPoint(embedded, Instant.now())));
    metrics.upserted(1);
  }

  private void complete(DocumentManifest manifest) {
    String tenant = manifest.getTenant();
    String docId = manifest.getDocId();
    if (isOlderThanIndexed(tenant, docId, manifest.getDocVersion())) {
      metrics.stale();
      return;
    }
    Instant now = Instant.now();
    Instant eventTime = manifest.getDocument().getEventTime();
    Set<String> existing = index.pointIds(tenant, docId);
    if (manifest.getOp() == Operation.DELETE) {
      index.deletePoints(tenant, existing);
      registry.put(new DocumentStatus(tenant, docId, State.DELETED, manifest.getDocVersion(), 0, eventTime, now, Optional.empty()));
      return;
    }
    Set<String> wanted = new HashSet<>(manifest.getChunkIds());
    Set<String> missing = new HashSet<>(wanted);
    missing.removeAll(existing);
    if (!missing.isEmpty()) {
      // A chunk of this version never reached the index (dead-lettered upstream): keep what is
      // searchable now rather than swap to an incomplete version.
      registry.put(new DocumentStatus(tenant, docId, State.FAILED, manifest.getDocVersion(), wanted.size(), eventTime, now,
          Optional.of(new DocumentStatus.Failure(STAGE, "chunks-missing", missing.size() + " of " + wanted.size() + " chunks of version " + manifest.getDocVersion() + " were not embedded"))));
      return;
    }
    Set<String> retired = new HashSet<>(existing);
    retired.removeAll(wanted);
    index.deletePoints(tenant, retired);
    registry.put(new DocumentStatus(tenant, docId, State.INDEXED, manifest.getDocVersion(), wanted.size(), eventTime, now, Optional.empty()));
    metrics.documentIndexed(eventTime, now);
    log.debug("{}/{} indexed at version {}: {} chunks, {} retired", tenant, docId, manifest.getDocVersion(), wanted.size(), retired.size());
  }

  private boolean isOlderThanIndexed(String tenant, String docId, long version) {
    return registry.get(tenant, docId)
        .filter(s -> s.state() == State.INDEXED || s.state() == State.DELETED)
        .map(s -> version < s.version())
        .orElse(false);
  }

  private void deadLetter(Record<String, byte[]> record, Failure failure) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    DeadLetter letter = DeadLetters.of(STAGE, failure, Origin.of(context.recordMetadata()), record.key(), record.value(), Instant.now());
    context.forward(record.withValue((SpecificRecord) letter), IndexTopology.DLQ_SINK);
  }
}
