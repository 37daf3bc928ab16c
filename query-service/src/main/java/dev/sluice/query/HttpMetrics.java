package dev.sluice.query;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code sluice.http.requests}: count and latency of every request by route template, method and
 * status, with a few fixed latency buckets so that percentiles can be computed across instances.
 */
final class HttpMetrics {
  private static final Duration[] LATENCY_BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry meters;

  HttpMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Records one finished request that took {@code millis}. */
  void record(Context ctx, float millis) {
    Timer.builder("sluice.http.requests")
        .description("HTTP requests by route template, method and status")
        .tag("route", routeOf(ctx)).tag("method", ctx.method().name())
        .tag("status", Integer.toString(ctx.statusCode()))
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(meters).record((long) (millis * 1000), TimeUnit.MICROSECONDS);
  }

  /**
   * The route template, never the raw path (ids and probes would make unbounded label values):
   * {@code static} for the page's files, {@code unmatched} for requests no route took.
   */
  private static String routeOf(Context ctx) {
    String route;
    try {
      route = ctx.endpointHandlerPath();
    } catch (IllegalStateException e) {
      route = ctx.matchedPath();
    }
    if (route == null || route.isEmpty() || route.endsWith("*")) {
      return ctx.statusCode() == 404 ? "unmatched" : "static";
    }
    return route;
  }
}
