package dev.sluice.index;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The payload stored on every point (MISSION.md, "Payload on every point"). */
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
    Optional<Instant> deletedAt) {

  public PointPayload {
    metadata = Map.copyOf(metadata);
    aclGroups = List.copyOf(aclGroups);
  }

  /** The same payload, soft-deleted at {@code at}. */
  public PointPayload markedDeleted(Instant at) {
    return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
        contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, true, Optional.of(at));
  }

  /** The same payload, live. */
  public PointPayload restored() {
    return new PointPayload(tenant, docId, chunkId, ordinal, text, contentHash, docVersion, source, title, section,
        contentType, language, metadata, aclGroups, modelId, eventTime, indexedAt, false, Optional.empty());
  }
}
