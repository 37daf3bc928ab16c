package dev.sluice.index;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payload stored on every point (see docs/contracts.md, "Payload on every point").
 *
 * <p>A point is <em>visible</em> to search when it is neither {@code deleted} nor {@code staged}. A
 * version's new chunks are written staged (hidden) and become visible together, when the version is
 * {@linkplain VectorIndex#publish published}: a search never sees two versions of one document.
 *
 * @param staged written for a document version that is not complete yet: hidden from search
 */
public record PointPayload(
    String tenant,
    String docId,
    String chunkId,
    int ordinal,
    String text,
    String contentHash,
    long docVersion,
    String source,
    Optional<String> title,
    String section,
    Optional<String> contentType,
    Optional<String> language,
    Map<String, String> metadata,
    List<String> aclGroups,
    String modelId,
    Instant eventTime,
    Instant indexedAt,
    boolean deleted,
    Optional<Instant> deletedAt,
    boolean staged) {

  public PointPayload {
    metadata = Map.copyOf(metadata);
    aclGroups = List.copyOf(aclGroups);
  }

  /** The same payload, soft-deleted at {@code at}. */
  public PointPayload markedDeleted(Instant at) {
    return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
        contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, true, Optional.of(at), staged);
  }

  /** The same payload, not deleted (a staged payload stays staged). */
  public PointPayload restored() {
    return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
        contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, false, Optional.empty(), staged);
  }

  /** The same payload, hidden until its version is published ({@code staged=true}). */
  public PointPayload asStaged() {
    return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
        contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, deleted, deletedAt, true);
  }

  /** Whether search may return this point: neither deleted nor staged. */
  public boolean visible() {
    return !deleted && !staged;
  }
}
