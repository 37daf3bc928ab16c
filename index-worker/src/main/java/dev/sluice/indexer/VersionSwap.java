package dev.sluice.indexer;

import dev.sluice.events.DocumentManifest;
import dev.sluice.events.Operation;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.DocumentStatus.State;
import dev.sluice.index.PointPayload;
import dev.sluice.index.VectorIndex;
import dev.sluice.schemas.ReasonCode;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Completes one document version when its manifest arrives, after the version's chunks (which
 * precede the manifest in the partition) have been written, staged (hidden from search):
 *
 * <ol>
 *   <li>a version older than what the registry settled, or than any published or deleted point of
 *       the document, is stale and changes nothing (late arrival, or a replay after a crash that got
 *       further);
 *   <li>DELETE soft-deletes the document's points and marks it {@code deleted};
 *   <li>UPSERT checks that every chunk of the version is in the index; if one is missing (it was
 *       dead-lettered upstream) the version stays hidden and the previous version stays searchable
 *       (the caller dead-letters the manifest, and the dead letter marks the document failed). Otherwise one {@link VectorIndex#publish} makes the
 *       version's points visible at this version (those written staged, and those reused unchanged
 *       or restored after a delete) and removes the points the version no longer has, including
 *       staged leftovers of older incomplete versions; then the document is marked {@code indexed}.
 * </ol>
 *
 * <p>Everything is read from the shared index and registry, so any index-worker instance can apply
 * any document's manifest, and partitions may move between instances at any time. Every step is
 * idempotent, so a crash at any point followed by a replay from the last commit ends in the state a
 * clean run ends in. Readers see the previous version until the publish, then the new one.
 */
final class VersionSwap {

  /** What a manifest did. */
  enum Outcome {
    INDEXED,
    DELETED,
    INCOMPLETE,
    STALE
  }

  /**
   * What a manifest did, with counts for metrics and logs.
   *
   * @param rewritten points of earlier versions moved to this one without re-embedding
   * @param missing chunks of an incomplete version that are not in the index
   */
  record Result(Outcome outcome, int chunks, int rewritten, int retired, int missing) {
    static final Result STALE = new Result(Outcome.STALE, 0, 0, 0, 0);

    Result(Outcome outcome, int chunks, int rewritten, int retired) {
      this(outcome, chunks, rewritten, retired, 0);
    }
  }

  static final String CHUNKS_MISSING = ReasonCode.CHUNKS_MISSING.code();

  private final VectorIndex index;
  private final DocumentRegistry registry;

  VersionSwap(VectorIndex index, DocumentRegistry registry) {
    this.index = index;
    this.registry = registry;
  }

  Result apply(DocumentManifest manifest, Instant now) {
    String tenant = manifest.getTenant();
    String docId = manifest.getDocId();
    long version = manifest.getDocVersion();
    Optional<DocumentStatus> status = registry.get(tenant, docId);
    if (status.filter(s -> isSettled(s) && s.version() > version).isPresent()) {
      return Result.STALE;
    }
    List<PointPayload> points = index.documentPoints(tenant, docId);
    // Staged points of a newer version only mean that version is in flight (or incomplete): this
    // version may still complete, and the newer one retires it when it does.
    if (points.stream().anyMatch(p -> !p.staged() && p.docVersion() > version)) {
      return Result.STALE;
    }
    Instant eventTime = manifest.getDocument().getEventTime();
    if (manifest.getOp() == Operation.DELETE) {
      long deleted = index.markDeleted(tenant, docId, now);
      record(status, new DocumentStatus(tenant, docId, State.DELETED, version, 0, eventTime, now, Optional.empty()));
      return new Result(Outcome.DELETED, 0, (int) deleted, 0);
    }
    List<String> wanted = manifest.getChunkIds();
    Map<String, PointPayload> stored = points.stream().collect(Collectors.toMap(PointPayload::chunkId, Function.identity()));
    List<String> missing = wanted.stream().filter(id -> !stored.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      // A chunk of this version never reached the index (dead-lettered upstream): the version stays
      // hidden and what is searchable now stays, rather than swap to an incomplete version. The
      // caller dead-letters the manifest, which is what marks the document failed.
      return new Result(Outcome.INCOMPLETE, wanted.size(), 0, 0, missing.size());
    }
    Map<String, PointPayload> visible = new LinkedHashMap<>();
    int rewritten = 0;
    for (int ordinal = 0; ordinal < wanted.size(); ordinal++) {
      PointPayload current = stored.get(wanted.get(ordinal));
      if (!PointMapping.atVersion(current, manifest, ordinal, current.indexedAt()).equals(current)) {
        visible.put(current.chunkId(), PointMapping.atVersion(current, manifest, ordinal, now));
        // Reused without re-embedding (unchanged, or restored): what the rewritten count tells.
        rewritten += current.staged() ? 0 : 1;
      }
    }
    Set<String> retired = new HashSet<>();
    for (PointPayload point : points) {
      if (!(point.staged() && point.docVersion() > version)) {
        retired.add(point.chunkId());
      }
    }
    wanted.forEach(retired::remove);
    index.publish(tenant, visible, retired);
    record(status, new DocumentStatus(tenant, docId, State.INDEXED, version, wanted.size(), eventTime, now, Optional.empty()));
    return new Result(Outcome.INDEXED, wanted.size(), rewritten, retired.size());
  }

  /** Whether a version older than {@code status} must be ignored for this document. */
  static boolean isSettled(DocumentStatus status) {
    return status.state() == State.INDEXED || status.state() == State.DELETED;
  }

  // The status of a newer version (pending, or failed e.g. to parse) stays: the status answers for
  // the newest version the pipeline saw, and says which version search returns meanwhile.
  private void record(Optional<DocumentStatus> current, DocumentStatus next) {
    if (current.isPresent() && current.get().version() > next.version()) {
      DocumentStatus newer = current.get();
      registry.put(new DocumentStatus(newer.tenant(), newer.docId(), newer.state(), newer.version(), newer.chunks(),
          newer.eventTime(), newer.updatedAt(), newer.failure(), newer.stage(),
          next.state() == State.INDEXED ? Optional.of(next.version()) : Optional.empty()));
      return;
    }
    registry.put(next);
  }
}
