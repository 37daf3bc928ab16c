package dev.sluice.query;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body with a hard size limit. Javalin's {@code maxRequestSize} only looks at the
 * {@code Content-Length} header, so a chunked body of any size would otherwise be read whole into
 * memory; here no more than the limit plus one byte is ever read.
 */
final class RequestBodies {
  private RequestBodies() {}

  /**
   * @throws ApiError 413 {@code body-too-large} when the body is over {@code maxBytes}, 400 {@code
   *     unreadable-body} when it cannot be read to its end
   */
  static String read(Context ctx, long maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] body;
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      // The client stopped sending before the length it declared, or sent a malformed chunk: its
      // fault, not the service's, so a 400 and no stack trace in the log.
      throw ApiError.badRequest("unreadable-body", "the request body ended before its declared length or was not "
          + "validly chunked; send the whole body");
    }
    if (body.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  static ApiError tooLarge(long maxBytes) {
    return new ApiError(413, "body-too-large", "the request body is larger than " + maxBytes + " bytes");
  }
}
