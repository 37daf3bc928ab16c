package dev.sluice.index;

/**
 * A point the index refuses for good: retrying the same point cannot succeed, so a pipeline sends
 * its record to the dead-letter topic rather than retry it. {@link #reason()} is a stable code.
 */
public final class PointRejectedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Stable reason codes, also used as dead-letter reasons. */
  public static final String MODEL_MISMATCH = "model-mismatch";
  public static final String DIMENSION_MISMATCH = "vector-dimension";
  public static final String INVALID_VECTOR = "invalid-vector";
  public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
  public static final String INVALID_PAYLOAD = "invalid-payload";
  public static final String INVALID_ID = "invalid-point-id";

  private final String reason;
  private final String pointId;

  public PointRejectedException(String reason, String pointId, String message) {
    super("point " + pointId + ": " + message);
    this.reason = reason;
    this.pointId = pointId;
  }

  /** One of the reason codes above. */
  public String reason() {
    return reason;
  }

  public String pointId() {
    return pointId;
  }
}
