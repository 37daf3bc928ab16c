package dev.sluice.index;

import java.util.Objects;

/**
 * A point to upsert.
 *
 * @param id the chunk id (a name-based UUID), stable across versions for unchanged content
 * @param vector normalised embedding
 * @param payload what search returns and filters on
 */
public record IndexPoint(String id, float[] vector, PointPayload payload) {
  public IndexPoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(payload, "payload");
  }
}
