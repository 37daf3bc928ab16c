package dev.sluice.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own refusals, made before a request reaches a route (a malformed request line or header,
 * headers or a URI over the size limit, conflicting lengths, an ambiguous path), answered in the
 * API's shape {@code {"error": {"code", "message"}}} instead of Jetty's HTML page, so that a client
 * can read every 4xx the same way. Jetty's reason is a fixed phrase of its parser, never the input,
 * and is cut short all the same.
 */
final class JsonErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REASON_CHARS = 200;

  /** Every method gets the error body (Jetty's default writes none for methods other than GET, POST and HEAD). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  /** Protocol-level refusals: the parser could not read the request, so no route ever saw it. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }

  /** Errors a servlet component sends with {@code sendError} (e.g. a path it refuses as ambiguous). */
  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
      int code, String message) throws IOException {
    byte[] body = body(code, message);
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static byte[] body(int status, String reason) {
    String why = reason == null || reason.isBlank() ? "the request is malformed" : clean(reason);
    String message = "the request was refused before it reached the API (" + why + "); send a well-formed HTTP/1.1 request";
    try {
      return JSON.writeValueAsBytes(ApiResponses.ErrorBody.of(code(status), message));
    } catch (JsonProcessingException e) {
      return ("{\"error\":{\"code\":\"" + code(status) + "\",\"message\":\"the request is malformed\"}}").getBytes(StandardCharsets.UTF_8);
    }
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "body-too-large";
      case 414 -> "uri-too-long";
      case 431 -> "headers-too-large";
      default -> "http-" + status;
    };
  }

  private static String clean(String reason) {
    StringBuilder out = new StringBuilder();
    reason.codePoints().limit(MAX_REASON_CHARS).forEach(c -> out.appendCodePoint(c >= 0x20 && c < 0x7f ? c : '?'));
    return out.toString();
  }
}
