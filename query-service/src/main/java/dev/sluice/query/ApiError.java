package dev.sluice.query;

/**
 * An error answered as {@code {"error": {"code", "message"}}} with its HTTP status. Messages say what
 * is wrong and how to fix it; they never carry a stack trace.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
