package dev.sluice.index;

import static dev.sluice.index.PointRejectedException.*;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The checks every adapter applies before writing a point, so that both refuse the same points
 * with the same reasons: they are part of the {@link VectorIndex} contract.
 */
public final class PointChecks {
  private PointChecks() {}

  /**
   * Checks one point against the collection's model and dimension (each unknown while the
   * collection is still empty and was created without them).
   *
   * @throws PointRejectedException with the first reason found
   */
  public static void check(IndexPoint point, Optional<String> model, OptionalInt dimension) {
    checkId(point.id());
    checkPayload(point.id(), point.payload());
    if (!point.id().equals(point.payload().chunkId())) {
      throw new PointRejectedException(INVALID_PAYLOAD, point.id(), "the point id and payload.chunkId differ");
    }
    if (model.isPresent() && !model.get().equals(point.payload().modelId())) {
      throw new PointRejectedException(MODEL_MISMATCH, point.id(),
          "embedded by model '" + point.payload().modelId() + "' but this collection holds vectors of model '"
              + model.get() + "'; a mixed-model index is refused (re-embed into a new collection instead)");
    }
    float[] vector = point.vector();
    if (vector.length == 0) {
      throw new PointRejectedException(INVALID_VECTOR, point.id(), "the vector is empty");
    }
    if (dimension.isPresent() && dimension.getAsInt() != vector.length) {
      throw new PointRejectedException(DIMENSION_MISMATCH, point.id(),
          "vector of dimension " + vector.length + " offered to a collection of dimension " + dimension.getAsInt());
    }
    double squares = 0;
    for (float component : vector) {
      if (!Float.isFinite(component)) {
        throw new PointRejectedException(INVALID_VECTOR, point.id(), "the vector holds a NaN or infinite component");
      }
      squares += (double) component * component;
    }
    // A zero vector has no direction: cosine is undefined, and Lucene's HNSW graph breaks on it.
    if (squares == 0) {
      throw new PointRejectedException(INVALID_VECTOR, point.id(), "the vector is all zeros (it has no direction)");
    }
  }

  /**
   * Checks that a point id is a UUID, as chunk ids are (name-based) and as Qdrant requires.
   *
   * @throws PointRejectedException otherwise
   */
  public static void checkId(String pointId) {
    try {
      UUID.fromString(pointId);
    } catch (IllegalArgumentException e) {
      throw new PointRejectedException(INVALID_ID, pointId, "a point id must be a UUID");
    }
  }

  /**
   * Checks that a payload is complete and small enough.
   *
   * @throws PointRejectedException otherwise
   */
  public static void checkPayload(String pointId, PointPayload p) {
    require(p.tenant(), "tenant", pointId);
    require(p.docId(), "docId", pointId);
    require(p.chunkId(), "chunkId", pointId);
    require(p.text(), "text", pointId);
    require(p.contentHash(), "contentHash", pointId);
    require(p.source(), "source", pointId);
    require(p.section(), "section", pointId);
    require(p.modelId(), "modelId", pointId);
    require(p.eventTime(), "eventTime", pointId);
    require(p.indexedAt(), "indexedAt", pointId);
    require(p.title(), "title", pointId);
    require(p.contentType(), "contentType", pointId);
    require(p.language(), "language", pointId);
    require(p.deletedAt(), "deletedAt", pointId);
    if (p.deleted() != p.deletedAt().isPresent()) {
      throw new PointRejectedException(INVALID_PAYLOAD, pointId, "deleted and deletedAt disagree");
    }
    long size = payloadBytes(p);
    if (size > VectorIndex.MAX_PAYLOAD_BYTES) {
      throw new PointRejectedException(PAYLOAD_TOO_LARGE, pointId,
          "payload of " + size + " bytes exceeds the limit of " + VectorIndex.MAX_PAYLOAD_BYTES);
    }
  }

  /**
   * Checks that {@code updated} may replace {@code stored}: same tenant, document, chunk and model.
   *
   * @throws PointRejectedException otherwise
   */
  public static void checkSamePoint(String pointId, PointPayload stored, PointPayload updated) {
    if (!stored.tenant().equals(updated.tenant()) || !stored.docId().equals(updated.docId())
        || !stored.chunkId().equals(updated.chunkId()) || !stored.modelId().equals(updated.modelId())) {
      throw new PointRejectedException(INVALID_PAYLOAD, pointId,
          "a payload update cannot change the tenant, docId, chunkId or modelId of a point");
    }
  }

  /**
   * Checks a payload handed to {@link VectorIndex#publish}: complete, under the size limit, and
   * visible (neither staged nor deleted), since publishing is what makes it visible.
   *
   * @throws PointRejectedException otherwise
   */
  public static void checkPublishable(String pointId, PointPayload p) {
    checkPayload(pointId, p);
    if (!p.visible()) {
      throw new PointRejectedException(INVALID_PAYLOAD, pointId, "a published payload must be neither staged nor deleted");
    }
  }

  /** UTF-8 size of a payload's strings: what it costs to store and ship. */
  static long payloadBytes(PointPayload p) {
    long size = utf8(p.text()) + utf8(p.source()) + utf8(p.section()) + utf8(p.title().orElse(""))
        + utf8(p.contentHash()) + utf8(p.docId()) + utf8(p.contentType().orElse("")) + utf8(p.language().orElse(""));
    for (Map.Entry<String, String> entry : p.metadata().entrySet()) {
      size += utf8(entry.getKey()) + utf8(entry.getValue());
    }
    for (String group : p.aclGroups()) {
      size += utf8(group);
    }
    return size;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void require(Object value, String field, String pointId) {
    if (value == null) {
      throw new PointRejectedException(INVALID_PAYLOAD, pointId, "payload." + field + " is missing");
    }
  }
}
