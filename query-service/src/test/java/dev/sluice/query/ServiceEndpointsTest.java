package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operational routes: health, readiness, Prometheus metrics, the OpenAPI description, the page. */
class ServiceEndpointsTest {
  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir, Map.of());
    api.add(Doc.of("tenant-a", "a.txt", "The lighthouse keeper trims the lantern wick at dusk."));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void statsNeedATokenAndCountOnlyThatTokensTenant() {
    HttpResponse<String> anonymous = api.get(null, "/stats");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(ApiFixture.read(anonymous.body()).path("error").path("code").asText()).isEqualTo("unauthorized");
    assertThat(api.get("not-a-token", "/stats").statusCode()).isEqualTo(401);

    JsonNode a = ApiFixture.read(api.get("tok-a", "/stats").body());
    JsonNode b = ApiFixture.read(api.get("tok-b", "/stats").body());
    assertThat(a.path("points").asLong()).isEqualTo(1);
    assertThat(a.path("documents").path("indexed").asLong()).isEqualTo(1);
    assertThat(b.path("points").asLong()).as("tenant-b has nothing").isZero();
    assertThat(b.path("documents").path("indexed").asLong()).isZero();
  }

  @Test
  void healthAndReadiness() {
    assertThat(ApiFixture.read(api.get(null, "/health").body()).path("status").asText()).isEqualTo("UP");
    HttpResponse<String> ready = api.get(null, "/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.read(ready.body()).path("modelId").asText()).isEqualTo(model.modelId());
  }

  @Test
  void metricsCountRequestsByRouteMethodAndStatusWithoutRawPaths() {
    api.search("tok-a", Map.of("query", "lantern"));
    api.post("tok-a", "/v1/search", "{}");
    api.get("tok-a", "/v1/documents/a.txt");
    api.get("tok-a", "/v1/documents/unknown-doc-4711");
    api.get(null, "/no-such-route-4711");
    String metrics = api.get(null, "/metrics").body();
    assertThat(metrics).contains(
        "sluice_http_requests_seconds_count{method=\"POST\",route=\"/v1/search\",status=\"200\"}",
        "sluice_http_requests_seconds_count{method=\"POST\",route=\"/v1/search\",status=\"400\"}",
        "sluice_http_requests_seconds_count{method=\"GET\",route=\"/v1/documents/<docId>\",status=\"200\"}",
        "sluice_http_requests_seconds_count{method=\"GET\",route=\"/v1/documents/<docId>\",status=\"404\"}",
        "sluice_http_requests_seconds_bucket{method=\"POST\",route=\"/v1/search\",status=\"200\",le=\"0.1\"}",
        "sluice_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}",
        "sluice_search_stage_seconds_count{mode=\"hybrid\",stage=\"embed\"}",
        "sluice_search_stage_seconds_count{mode=\"hybrid\",stage=\"search\"}");
    // Tags are route templates: ids and unknown paths never become label values.
    assertThat(metrics).doesNotContain("4711");
  }

  @Test
  void openApiDescribesEveryRoute() {
    HttpResponse<String> response = api.get(null, "/openapi.json");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode spec = ApiFixture.read(response.body());
    assertThat(spec.path("openapi").asText()).startsWith("3.");
    JsonNode paths = spec.path("paths");
    assertThat(paths.path("/v1/search").has("post")).isTrue();
    assertThat(paths.path("/v1/documents/{docId}").has("get")).isTrue();
    for (String path : new String[] {"/health", "/ready", "/metrics", "/stats", "/openapi.json", "/"}) {
      assertThat(paths.path(path).has("get")).as(path).isTrue();
    }
    JsonNode searchErrors = paths.path("/v1/search").path("post").path("responses");
    assertThat(searchErrors.fieldNames()).toIterable().contains("200", "400", "401", "413", "429", "503");
    JsonNode request = spec.path("components").path("schemas").path("SearchRequest").path("properties");
    assertThat(request.path("topK").path("maximum").asInt()).isEqualTo(50);
    assertThat(spec.path("components").path("schemas").path("SearchFilters").path("properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrderElementsOf(SearchFiltersParser.FIELDS);
  }

  @Test
  void thePageAndItsAssetsAreServedWithAContentSecurityPolicy() {
    HttpResponse<String> page = api.get(null, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    assertThat(page.body()).contains("id=\"search-form\"", "/app.js");
    assertThat(api.get(null, "/app.js").statusCode()).isEqualTo(200);
    assertThat(api.get(null, "/app.css").statusCode()).isEqualTo(200);
  }
}
