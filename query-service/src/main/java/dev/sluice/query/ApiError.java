package dev.sluice.query;

import java.util.OptionalLong;

/**
 * An error answered as {@code {"error": {"code", "message"}}} with its HTTP status. Messages say what
 * is wrong and how to fix it; they never carry a stack trace. Refusals the caller should retry (429,
 * 503) carry the seconds to wait, sent as {@code Retry-After}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final long retryAfterSeconds;

  private ApiError(int status, String code, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  ApiError(int status, String code, String message) {
    this(status, code, message, -1);
  }

  static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** 429: the caller sent too much; {@code retryAfterSeconds} is rounded up to at least 1. */
  static ApiError tooManyRequests(String code, String message, long retryAfterSeconds) {
    return new ApiError(429, code, message, Math.max(1, retryAfterSeconds));
  }

  /** 503: the service cannot answer yet; retry after {@code retryAfterSeconds}. */
  static ApiError unavailable(String code, String message, long retryAfterSeconds) {
    return new ApiError(503, code, message, Math.max(1, retryAfterSeconds));
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  OptionalLong retryAfterSeconds() {
    return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
  }
}
