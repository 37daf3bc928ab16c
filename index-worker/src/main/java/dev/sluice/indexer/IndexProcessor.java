package dev.sluice.indexer;

import dev.sluice.events.DeadLetter;
import dev.sluice.events.DocumentManifest;
import dev.sluice.events.EmbeddedChunk;
import dev.sluice.events.VectorTopicRecord;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointChecks;
import dev.sluice.index.PointRejectedException;
import dev.sluice.index.VectorIndex;
import dev.sluice.runtime.DeadLetters;
import dev.sluice.runtime.DeadLetters.Failure;
import dev.sluice.runtime.DeadLetters.Origin;
import dev.sluice.schemas.AvroSerdes;
import dev.sluice.schemas.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Applies the vectors topic to the index. Chunks of version v are checked (a bad one goes to the
 * dead-letter topic), batched and upserted by their stable ids, so replays change nothing; the
 * manifest of v, which follows them in the partition, then completes the version ({@link
 * VersionSwap}), publishing it in one step. Chunks are written staged, so a search never sees a
 * version before it is complete. A manifest the index refuses for good (its payload can never be
 * stored) is dead-lettered and the document marked failed. A chunk older than the version the registry settled is ignored, and the index
 * itself never lets an older chunk replace a newer point.
 */
final class IndexProcessor implements Processor<String, byte[], String, SpecificRecord> {
  private static final Logger log = LoggerFactory.getLogger(IndexProcessor.class);
  static final String STAGE = "index";

  private final VectorIndex index;
  private final DocumentRegistry registry;
  private final IndexMetrics metrics;
  private final IndexConfig.Batching batching;
  private final PurgeSchedule purge;
  private final VersionSwap swap;
  private final AvroSerdes.Codec<VectorTopicRecord> codec = AvroSerdes.codec(VectorTopicRecord.class);
  private final PendingPoints pending;
  private final PendingStatus pendingStatus;
  private String lastPendingVersion = "";
  // Dead letters found while writing a batch outside process() (at commit), sent with the next record.
  private final List<DeadLetter> deferred = new ArrayList<>();
  private ProcessorContext<String, SpecificRecord> context;

  IndexProcessor(VectorIndex index, DocumentRegistry registry, IndexMetrics metrics, IndexConfig.Batching batching,
      PurgeSchedule purge) {
    this.index = index;
    this.registry = registry;
    this.metrics = metrics;
    this.batching = batching;
    this.purge = purge;
    this.swap = new VersionSwap(index, registry);
    this.pending = new PendingPoints(batching.size());
    this.pendingStatus = new PendingStatus(registry);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    IndexCommitStore store = context.getStateStore(IndexCommitStore.NAME);
    // Kafka Streams flushes stores before committing offsets: write what is pending first.
    store.beforeCommit(this::writePending);
    long lingerNanos = batching.linger().toNanos();
    context.schedule(batching.linger(), PunctuationType.WALL_CLOCK_TIME, now -> {
      sendDeferred();
      if (pending.isDue(lingerNanos)) {
        writePending();
        sendDeferred();
      }
    });
    context.schedule(purge.interval(), PunctuationType.WALL_CLOCK_TIME, now -> purge.runIfDue(Instant.ofEpochMilli(now)));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    sendDeferred();
    VectorTopicRecord value;
    try {
      value = codec.decode(record.value());
    } catch (SerializationException e) {
      deadLetter(record, Origin.of(context.recordMetadata()), Failure.of(ReasonCode.MALFORMED_RECORD.code(), e.getMessage(), e), Optional.empty());
      return;
    }
    MDC.put("doc", String.valueOf(record.key()));
    try {
      if (value.getBody() instanceof EmbeddedChunk chunk) {
        accept(record, chunk);
      } else if (value.getBody() instanceof DocumentManifest manifest) {
        writePending();
        sendDeferred();
        complete(record, manifest);
      }
    } finally {
      MDC.remove("doc");
    }
  }

  private void accept(Record<String, byte[]> record, EmbeddedChunk embedded) {
    var chunk = embedded.getChunk();
    if (isOlderThanSettled(chunk.getTenant(), chunk.getDocId(), chunk.getDocVersion())) {
      metrics.stale();
      return;
    }
    // A version's chunks arrive together: one status write when its first chunk does.
    String version = record.key() + "@" + chunk.getDocVersion();
    if (!version.equals(lastPendingVersion)) {
      pendingStatus.record(chunk.getTenant(), chunk.getDocId(), chunk.getDocVersion(), STAGE,
          chunk.getDocument().getEventTime(), Instant.now());
      lastPendingVersion = version;
    }
    IndexPoint point = PointMapping.toPoint(embedded, Instant.now());
    try {
      check(point);
    } catch (PointRejectedException e) {
      deadLetter(record, Origin.of(context.recordMetadata()), Failure.of(e.reason(), e.getMessage(), e),
          Optional.of(chunk.getDocVersion()));
      return;
    }
    if (pending.add(new PendingPoints.Pending(point, record, Origin.of(context.recordMetadata())))) {
      writePending();
      sendDeferred();
    }
  }

  /**
   * The index's checks, plus the batch's own: while the index is empty, the first pending point
   * fixes the model and dimension that the rest of the batch must share.
   */
  private void check(IndexPoint point) {
    Optional<IndexPoint> first = pending.first();
    if (first.isPresent() && index.modelId().isEmpty()) {
      PointChecks.check(point, Optional.of(first.get().payload().modelId()), OptionalInt.of(first.get().vector().length));
    }
    index.validate(point);
  }

  private void complete(Record<String, byte[]> record, DocumentManifest manifest) {
    MDC.put("trace", Optional.ofNullable(manifest.getDocument().getTraceId()).orElse(""));
    try {
      Instant now = Instant.now();
      VersionSwap.Result result;
      try {
        result = swap.apply(manifest, now);
      } catch (PointRejectedException e) {
        // The version's payload can never be stored (e.g. metadata over the payload limit):
        // retrying the manifest cannot help, so it must not hold up the partition.
        deadLetter(record, Origin.of(context.recordMetadata()), Failure.of(e.reason(), e.getMessage(), e),
            Optional.of(manifest.getDocVersion()));
        return;
      }
      switch (result.outcome()) {
        case STALE -> metrics.stale();
        case INDEXED -> {
          metrics.documentIndexed(manifest.getDocument().getEventTime(), now);
          metrics.retired(result.retired());
          metrics.rewritten(result.rewritten());
        }
        case DELETED -> metrics.softDeleted(result.rewritten());
        case INCOMPLETE -> {
          metrics.incomplete();
          deadLetter(record, Origin.of(context.recordMetadata()), Failure.of(VersionSwap.CHUNKS_MISSING, result.missing()
              + " of " + result.chunks() + " chunks of version " + manifest.getDocVersion() + " are not in the index"),
              Optional.of(manifest.getDocVersion()));
        }
      }
      log.debug("{}/{} version {}: {} ({} chunks, {} payloads rewritten, {} retired)", manifest.getTenant(),
          manifest.getDocId(), manifest.getDocVersion(), result.outcome(), result.chunks(), result.rewritten(), result.retired());
    } finally {
      MDC.remove("trace");
    }
  }

  /** Writes the pending batch; a point the index still refuses is dead-lettered, the rest written. */
  private void writePending() {
    if (pending.isEmpty()) {
      return;
    }
    List<PendingPoints.Pending> batch = pending.drain();
    try {
      index.upsert(batch.stream().map(PendingPoints.Pending::point).toList());
      metrics.upserted(batch.size());
    } catch (PointRejectedException e) {
      // Checked on arrival, so only a race (another task fixed the model first) lands here.
      for (PendingPoints.Pending one : batch) {
        try {
          index.upsert(List.of(one.point()));
          metrics.upserted(1);
        } catch (PointRejectedException rejected) {
          markFailed(one, rejected);
        }
      }
    }
  }

  private void markFailed(PendingPoints.Pending one, PointRejectedException rejected) {
    var payload = one.point().payload();
    log.info("{} to dead letters: {} ({})", one.record().key(), rejected.reason(), rejected.getMessage());
    deferred.add(letter(one.record(), one.origin(), Failure.of(rejected.reason(), rejected.getMessage(), rejected),
        Optional.of(payload.docVersion())));
  }

  private boolean isOlderThanSettled(String tenant, String docId, long version) {
    return registry.get(tenant, docId).filter(VersionSwap::isSettled).map(s -> version < s.version()).orElse(false);
  }

  private void deadLetter(Record<String, byte[]> record, Origin origin, Failure failure, Optional<Long> version) {
    log.info("{} to dead letters: {} ({})", record.key(), failure.reason(), failure.message());
    metrics.deadLettered();
    context.forward(record.withValue((SpecificRecord) letter(record, origin, failure, version)), IndexTopology.DLQ_SINK);
  }

  // With the version, the failure recorder can tell a newer version's failure from an older one's.
  private static DeadLetter letter(Record<String, byte[]> record, Origin origin, Failure failure, Optional<Long> version) {
    DeadLetter letter = DeadLetters.of(STAGE, failure, origin, record.key(), record.value(), Instant.now());
    version.ifPresent(letter::setDocVersion);
    return letter;
  }

  private void sendDeferred() {
    for (DeadLetter letter : deferred) {
      metrics.deadLettered();
      context.forward(new Record<String, SpecificRecord>(letter.getKey(), letter, letter.getFailedAt().toEpochMilli()),
          IndexTopology.DLQ_SINK);
    }
    deferred.clear();
  }
}
