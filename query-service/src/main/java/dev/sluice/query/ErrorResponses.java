package dev.sluice.query;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {"error": {"code", "message"}}} with its status: our own {@link
 * ApiError}s (with {@code Retry-After} where they carry one), Javalin's refusals (no route, wrong
 * method, body over the limit), and anything unexpected as a 500 whose details stay in the log.
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  static void install(Javalin app, long maxBodyBytes) {
    app.exception(ApiError.class, (e, ctx) -> {
      e.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", Long.toString(seconds)));
      write(ctx, e.status(), e.code(), e.getMessage());
    });
    app.exception(HttpResponseException.class, (e, ctx) -> {
      switch (e.getStatus()) {
        case 404 -> notFound(ctx);
        case 405 -> methodNotAllowed(ctx);
        case 413 -> write(ctx, 413, "body-too-large", RequestBodies.tooLarge(maxBodyBytes).getMessage());
        default -> write(ctx, e.getStatus(), "http-" + e.getStatus(), e.getMessage());
      }
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("{} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, 500, "internal-error", "the request failed inside the service; see its log");
    });
    // Status-only outcomes (a static file not found) get the same shape; our JSON 404s stay as they are.
    app.error(404, ctx -> {
      if (ctx.result() == null || !ctx.result().startsWith("{")) {
        notFound(ctx);
      }
    });
    app.error(405, ErrorResponses::methodNotAllowed);
  }

  private static void notFound(Context ctx) {
    write(ctx, 404, "not-found", "no route " + ctx.method() + " " + ctx.path());
  }

  private static void methodNotAllowed(Context ctx) {
    write(ctx, 405, "method-not-allowed", ctx.method() + " is not allowed on " + ctx.path());
  }

  private static void write(Context ctx, int status, String code, String message) {
    ctx.status(status).json(ApiResponses.ErrorBody.of(code, message));
  }
}
