package dev.sluice.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.SearchRequest;
import dev.sluice.index.SearchScope;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.runtime.Metrics;
import dev.sluice.runtime.SettingsSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: search, document status, stats, health, metrics. Every {@code /v1} route needs a
 * bearer token; the token alone decides the tenant and groups a request may see.
 */
public final class QueryService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueryService.class);
  private static final String CALLER = "sluice.caller";

  private final Javalin app;
  private final QueryEmbedders embedders;
  private final AutoCloseable[] owned;

  private QueryService(Javalin app, QueryEmbedders embedders, AutoCloseable... owned) {
    this.app = app;
    this.embedders = embedders;
    this.owned = owned;
  }

  /** Starts the API on an index, registry and model owned by the caller. */
  public static QueryService start(QueryConfig config, EmbeddingModel model, VectorIndex index,
      DocumentRegistry registry, PrometheusMeterRegistry meters, AutoCloseable... owned) {
    ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    QueryEmbedders embedders = new QueryEmbedders(model, Math.max(1, Runtime.getRuntime().availableProcessors()));
    SearchQueryParser parser = new SearchQueryParser(json);
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      Gauge.builder("sluice.index.documents", registry, r -> r.countByState().getOrDefault(state, 0L))
          .tag("state", state.name().toLowerCase(Locale.ROOT)).register(meters);
    }
    Gauge.builder("sluice.index.points.live", index, VectorIndex::count).register(meters);

    Javalin app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.http.maxRequestSize = config.maxBodyBytes();
      c.jsonMapper(new JavalinJackson(json, false));
      c.requestLogger.http((ctx, ms) -> Timer.builder("sluice.http.requests")
          .tag("route", routeOf(ctx)).tag("method", ctx.method().name())
          .tag("status", Integer.toString(ctx.statusCode()))
          .register(meters).record((long) (ms * 1000), TimeUnit.MICROSECONDS));
    });
    app.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/ready", ctx -> ctx.json(Map.of("status", "READY", "modelId", model.modelId())));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
    app.get("/stats", ctx -> ctx.json(stats(index, registry)));
    app.before("/v1/*", ctx -> authenticate(ctx, config.tokens()));
    app.post("/v1/search", ctx -> {
      long started = System.nanoTime();
      var query = parser.parse(ctx.body());
      AuthTokens.Caller caller = ctx.attribute(CALLER);
      float[] vector = embedders.embedQuery(query.text());
      var hits = index.search(new SearchRequest(new SearchScope(caller.tenant(), caller.groups()), vector, query.text(), query.topK(), query.mode()));
      long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
      ctx.json(new ApiResponses.SearchResponse(hits.stream().map(ApiResponses.SearchResult::of).toList(), model.modelId(), tookMs));
    });
    app.get("/v1/documents/{docId}", ctx -> {
      AuthTokens.Caller caller = ctx.attribute(CALLER);
      String docId = URLDecoder.decode(ctx.pathParam("docId"), StandardCharsets.UTF_8);
      var status = registry.get(caller.tenant(), docId)
          .orElseThrow(() -> new ApiError(404, "document-not-found", "no document '" + docId + "' for your tenant"));
      ctx.json(ApiResponses.DocumentStatusResponse.of(status));
    });
    app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
        e.getStatus() == 413 ? "body-too-large" : "http-" + e.getStatus(),
        e.getStatus() == 413 ? "the request body is larger than " + config.maxBodyBytes() + " bytes" : e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      log.error("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, "internal-error", "the request failed inside the service; see its log");
    });
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
        error(ctx, 404, "not-found", "no route " + ctx.method() + " " + ctx.path());
      }
    });
    app.error(405, ctx -> error(ctx, 405, "method-not-allowed", ctx.method() + " is not allowed on " + ctx.path()));
    app.start(config.host(), config.port());
    return new QueryService(app, embedders, owned);
  }

  /** The route template (low cardinality), or where the request stopped when no endpoint ran. */
  private static String routeOf(Context ctx) {
    try {
      return ctx.endpointHandlerPath();
    } catch (IllegalStateException e) {
      return ctx.matchedPath();
    }
  }

  private static void authenticate(Context ctx, AuthTokens tokens) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'");
    }
    AuthTokens.Caller caller = tokens.caller(header.substring(7).strip())
        .orElseThrow(() -> new ApiError(401, "unauthorized", "the bearer token is not valid"));
    ctx.attribute(CALLER, caller);
  }

  private static ApiResponses.Stats stats(VectorIndex index, DocumentRegistry registry) {
    Map<String, Long> documents = new LinkedHashMap<>();
    Map<DocumentStatus.State, Long> counts = registry.countByState();
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      documents.put(state.name().toLowerCase(Locale.ROOT), counts.getOrDefault(state, 0L));
    }
    return new ApiResponses.Stats(index.count(), documents);
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(ApiResponses.ErrorBody.of(code, message));
  }

  /** The port the API listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    embedders.close();
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} failed", resource, e);
      }
    }
  }

  /** Runs the query service alone, reading an index written by an index-worker process. */
  public static void main(String[] args) throws InterruptedException {
    QueryConfig config;
    try {
      config = QueryConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), Map.of()));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      System.err.println("query-service: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.windowTokens());
    LuceneVectorIndex index = LuceneVectorIndex.openReadOnly(IndexLayout.points(config.indexDir()));
    LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(config.indexDir()));
    QueryService service = start(config, model, index, registry, Metrics.newPrometheusRegistry(), index, registry, model);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "query-service-shutdown"));
    log.info("query-service listening on http://{}:{}", config.host(), service.port());
    Thread.currentThread().join();
  }
}
