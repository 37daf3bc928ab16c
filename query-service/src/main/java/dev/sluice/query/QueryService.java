package dev.sluice.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.DocumentRegistry;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.VectorIndex;
import dev.sluice.index.backend.IndexBackends;
import dev.sluice.index.backend.OpenIndex;
import dev.sluice.runtime.FatalServiceException;
import dev.sluice.runtime.Metrics;
import dev.sluice.runtime.SettingsSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: search, document status, stats, health, readiness, metrics, its OpenAPI description
 * and a search page at {@code /}. Every {@code /v1} route needs a bearer token; the token alone
 * decides the tenant and groups a request may see, and is rate-limited on its own.
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
    ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    QueryEmbedders embedders = new QueryEmbedders(model, Math.max(1, Runtime.getRuntime().availableProcessors()));
    // The first inference of a session is much slower than the rest; pay it before serving.
    embedders.embedQuery("warm-up");
    Readiness readiness = new Readiness(index, model.modelId());
    RequestLimits limits = new RequestLimits(config.limits());
    SearchRoute search = new SearchRoute(new SearchQueryParser(json, config.limits().maxTopK()), embedders, index,
        readiness, limits, model.modelId(), meters, config.maxBodyBytes());
    DocumentRoute documents = new DocumentRoute(registry, index);
    String openApi = resource("/openapi.json");
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      Gauge.builder("sluice.index.documents", registry, r -> r.countByState().getOrDefault(state, 0L))
          .tag("state", state.name().toLowerCase(Locale.ROOT)).register(meters);
    }
    Gauge.builder("sluice.index.points.live", index, VectorIndex::count).register(meters);

    HttpMetrics metrics = new HttpMetrics(meters);
    Javalin app = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.http.maxRequestSize = config.maxBodyBytes();
      c.http.prefer405over404 = true;
      c.jsonMapper(new JavalinJackson(json, false));
      c.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/web";
        files.location = Location.CLASSPATH;
        // The page loads only its own script and style and talks only to this API.
        files.headers = Map.of("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
      });
      c.requestLogger.http(metrics::record);
      // Requests Jetty refuses before any route sees them get the API's JSON error too, not an HTML page.
      c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    });
    app.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/ready", ctx -> {
      readiness.require();
      ctx.json(Map.of("status", "READY", "modelId", model.modelId()));
    });
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
    // Counts are tenant data: the token decides whose, as on /v1.
    app.before("/stats", ctx -> limits.admit(authenticate(ctx, config.tokens())));
    app.get("/stats", ctx -> ctx.json(stats(index, registry, ctx.<AuthTokens.Caller>attribute(CALLER).tenant())));
    app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    app.before("/v1/*", ctx -> {
      String token = authenticate(ctx, config.tokens());
      limits.admit(token);
    });
    app.post("/v1/search", ctx -> search.handle(ctx, ctx.attribute(CALLER)));
    app.get("/v1/documents/<docId>", ctx -> documents.handle(ctx, ctx.attribute(CALLER)));
    ErrorResponses.install(app, config.maxBodyBytes());
    app.start(config.host(), config.port());
    return new QueryService(app, embedders, owned);
  }

  private static String resource(String name) {
    try (InputStream in = QueryService.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the query-service jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  /** Sets the caller from the bearer token and returns the token, or throws 401. */
  private static String authenticate(Context ctx, AuthTokens tokens) {
    // Two Authorization headers are ambiguous: a proxy in front may have checked the other one.
    if (java.util.Collections.list(ctx.req().getHeaders("Authorization")).size() > 1) {
      throw new ApiError(401, "unauthorized", "send exactly one 'Authorization: Bearer <token>' header");
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>'");
    }
    String token = header.substring(7).strip();
    AuthTokens.Caller caller = tokens.caller(token)
        .orElseThrow(() -> new ApiError(401, "unauthorized", "the bearer token is not valid"));
    ctx.attribute(CALLER, caller);
    return token;
  }

  private static ApiResponses.Stats stats(VectorIndex index, DocumentRegistry registry, String tenant) {
    Map<String, Long> documents = new LinkedHashMap<>();
    Map<DocumentStatus.State, Long> counts = registry.countByState(tenant);
    for (DocumentStatus.State state : DocumentStatus.State.values()) {
      documents.put(state.name().toLowerCase(Locale.ROOT), counts.getOrDefault(state, 0L));
    }
    return new ApiResponses.Stats(index.count(tenant), documents);
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

  /**
   * Runs the query service alone, reading what index-worker processes write: the Lucene directory
   * of an index-worker on this host, or the shared Qdrant (then any number of query services run
   * on any hosts and answer the same).
   */
  public static void main(String[] args) throws InterruptedException {
    QueryConfig config;
    try {
      config = QueryConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), Map.of()));
    } catch (org.apache.kafka.common.config.ConfigException e) {
      System.err.println("query-service: invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    OpenIndex opened;
    try {
      opened = IndexBackends.openForReading(config.backend());
    } catch (FatalServiceException e) {
      System.err.println("query-service: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    log.info("query-service reads {}", opened.description());
    EmbeddingModel model = ModelCatalogue.load(config.modelName(), config.windowTokens());
    QueryService service = start(config, model, opened.index(), opened.registry(), Metrics.newPrometheusRegistry(), opened, model);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "query-service-shutdown"));
    log.info("query-service listening on http://{}:{}", config.host(), service.port());
    Thread.currentThread().join();
  }
}
