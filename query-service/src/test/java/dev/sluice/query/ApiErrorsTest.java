package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error the API answers, over real HTTP: status, {@code {"error": {"code", "message"}}} body
 * naming the field and why, {@code Retry-After} where the caller should retry, never a stack trace.
 */
class ApiErrorsTest {
  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir.resolve("main"), Map.of(QueryConfig.MAX_BODY, "4096"));
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

  static Stream<Arguments> badSearches() {
    return Stream.of(
        Arguments.of("{}", "invalid-query", "'query' is required"),
        Arguments.of("{\"query\": \"   \"}", "invalid-query", "'query' is required"),
        Arguments.of("{\"query\": 42}", "invalid-query", "'query'"),
        Arguments.of("{\"query\": \"" + "q".repeat(2001) + "\"}", "invalid-query", "2001 characters; the limit is 2000"),
        Arguments.of("{\"query\": \"x\", \"topK\": 0}", "invalid-topK", "from 1 to 50, was 0"),
        Arguments.of("{\"query\": \"x\", \"topK\": 51}", "invalid-topK", "from 1 to 50, was 51"),
        Arguments.of("{\"query\": \"x\", \"topK\": \"ten\"}", "invalid-topK", "'topK' must be an integer"),
        Arguments.of("{\"query\": \"x\", \"topK\": 2.5}", "invalid-topK", "'topK' must be an integer"),
        Arguments.of("{\"query\": \"x\", \"mode\": \"semantic\"}", "invalid-mode", "dense, keyword, hybrid; was \"semantic\""),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"author\": [\"me\"]}}", "unknown-filter", "'filters.author'"),
        Arguments.of("{\"query\": \"x\", \"filters\": [\"a\"]}", "invalid-filters", "'filters' must be an object"),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"sources\": \"wiki\"}}", "invalid-filter", "'filters.sources' must be an array"),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"tags\": [1]}}", "invalid-filter", "'filters.tags' must hold non-empty strings"),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"metadata\": {\"n\": 1}}}", "invalid-filter", "'filters.metadata.n' must be a string"),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"updatedAfter\": \"yesterday\"}}", "invalid-filter", "'filters.updatedAfter' must be an ISO-8601"),
        Arguments.of("{\"query\": \"x\", \"filters\": {\"updatedAfter\": \"2025-02-01\", \"updatedBefore\": \"2025-01-01\"}}",
            "invalid-filter", "must be earlier than"),
        Arguments.of("{\"query\": \"x\", \"limit\": 5}", "unknown-field", "unknown field 'limit'"),
        Arguments.of("{\"query\": \"x\", \"tenant\": \"tenant-b\"}", "field-not-allowed", "'tenant' comes from your token"),
        Arguments.of("{\"query\": \"x\"", "malformed-json", "not valid JSON"),
        Arguments.of("{\"query\": \"x\"} {}", "malformed-json", "not valid JSON"),
        Arguments.of("{\"query\": \"x\", \"query\": \"y\"}", "malformed-json", "Duplicate field 'query'"),
        Arguments.of("", "malformed-json", "must be a JSON object"),
        Arguments.of("[\"x\"]", "malformed-json", "must be a JSON object"));
  }

  @ParameterizedTest
  @MethodSource("badSearches")
  void badSearchIs400NamingTheFieldAndWhy(String body, String code, String message) {
    assertError(api.post("tok-a", "/v1/search", body), 400, code, message);
  }

  @Test
  void missingOrInvalidTokenIs401() {
    assertError(api.post(null, "/v1/search", "{\"query\": \"x\"}"), 401, "unauthorized", "Authorization: Bearer");
    assertError(api.post("nope", "/v1/search", "{\"query\": \"x\"}"), 401, "unauthorized", "not valid");
    assertError(api.get(null, "/v1/documents/a.txt"), 401, "unauthorized", "Authorization: Bearer");
    assertError(api.get("nope", "/v1/documents/a.txt"), 401, "unauthorized", "not valid");
    HttpResponse<String> basic = ApiFixture.send(HttpRequest.newBuilder(URI.create(api.base + "/v1/documents/a.txt"))
        .header("Authorization", "Basic dG9rLWE6"));
    assertError(basic, 401, "unauthorized", "Bearer");
    // Authentication comes before validation: an anonymous caller learns nothing about the body.
    assertError(api.post(null, "/v1/search", "not json"), 401, "unauthorized", "Bearer");
  }

  @Test
  void unknownDocumentAndRouteAre404AndWrongMethodIs405() {
    assertError(api.get("tok-a", "/v1/documents/missing.txt"), 404, "document-not-found", "missing.txt");
    assertError(api.get("tok-a", "/v1/nothing-here"), 404, "not-found", "/v1/nothing-here");
    assertError(api.get(null, "/nothing-here"), 404, "not-found", "/nothing-here");
    assertError(api.get("tok-a", "/v1/search"), 405, "method-not-allowed", "GET");
  }

  @Test
  void bodyOverTheLimitIs413AsJson() {
    String big = "{\"query\": \"x\", \"filters\": {\"docIds\": [\"" + "d".repeat(5000) + "\"]}}";
    assertError(api.post("tok-a", "/v1/search", big), 413, "body-too-large", "larger than 4096 bytes");
    // Without a Content-Length (chunked), the limit holds as well.
    HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(api.base + "/v1/search"))
        .header("Authorization", "Bearer tok-a").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())));
    assertError(ApiFixture.send(chunked), 413, "body-too-large", "larger than 4096 bytes");
  }

  @Test
  void perTokenRateLimitIs429WithRetryAfter() {
    try (ApiFixture limited = ApiFixture.start(model, dir.resolve("rate"), Map.of(QueryConfig.RATE, "1", QueryConfig.BURST, "3"))) {
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        responses.add(limited.get("tok-a", "/v1/documents/none.txt"));
      }
      assertThat(responses.subList(0, 3)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(404));
      HttpResponse<String> refused = responses.get(3);
      assertError(refused, 429, "rate-limited", "1 requests per second");
      assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
      // Another token has its own bucket.
      assertThat(limited.get("tok-b", "/v1/documents/none.txt").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void concurrencyLimitIs429WithRetryAfterAndNeverA5xx() throws Exception {
    try (ApiFixture limited = ApiFixture.start(model, dir.resolve("bulkhead"),
        Map.of(QueryConfig.MAX_CONCURRENT, "1", QueryConfig.MAX_QUEUE_MS, "0"))) {
      HttpClient http = HttpClient.newHttpClient();
      // A long query makes each embedding take a while, so that requests overlap.
      String body = ApiFixture.write(Map.of("query", "lantern keeper lighthouse wick dusk ".repeat(50), "mode", "dense"));
      List<HttpResponse<String>> all = new ArrayList<>();
      for (int round = 0; round < 5 && all.stream().noneMatch(r -> r.statusCode() == 429); round++) {
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 12)
            .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(URI.create(limited.base + "/v1/search"))
                .header("Authorization", "Bearer tok-a").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()))
            .toList();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          all.add(call.get());
        }
      }
      assertThat(all).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429));
      HttpResponse<String> refused = all.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
      assertError(refused, 429, "too-many-concurrent-searches", "searches are already running");
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    }
  }

  @Test
  void closedIndexIs503WithRetryAfter() {
    try (ApiFixture broken = ApiFixture.start(model, dir.resolve("closed"), Map.of())) {
      broken.add(Doc.of("tenant-a", "a.txt", "lanterns"));
      assertThat(broken.get(null, "/ready").statusCode()).isEqualTo(200);
      broken.index.close();
      HttpResponse<String> search = broken.post("tok-a", "/v1/search", "{\"query\": \"lantern\"}");
      assertError(search, 503, "not-ready", "cannot be read");
      assertThat(search.headers().firstValue("Retry-After")).hasValue("5");
      HttpResponse<String> ready = broken.get(null, "/ready");
      assertError(ready, 503, "not-ready", "cannot be read");
      assertThat(ready.headers().firstValue("Retry-After")).hasValue("5");
      // Still a valid request check first: a bad request stays a 400 even while not ready.
      assertError(broken.post("tok-a", "/v1/search", "{}"), 400, "invalid-query", "'query'");
    }
  }

  @Test
  void indexOfAnotherModelIs503NamingBothModels() throws Exception {
    Path other = dir.resolve("other-model");
    try (var index = dev.sluice.index.lucene.LuceneVectorIndex.openWritable(dev.sluice.index.lucene.IndexLayout.points(other))) {
      float[] vector = new float[model.dimension()];
      vector[0] = 1;
      String id = java.util.UUID.nameUUIDFromBytes("p1".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
      index.upsert(List.of(new dev.sluice.index.IndexPoint(id, vector, new dev.sluice.index.PointPayload("tenant-a", "d", id, 0,
          "text", "h", 1, "s", java.util.Optional.empty(), "", java.util.Optional.empty(), java.util.Optional.empty(), Map.of(),
          List.of(), "some-other-model@00000000", java.time.Instant.EPOCH, java.time.Instant.EPOCH, false, java.util.Optional.empty(), false, List.of()))));
    }
    try (ApiFixture mismatched = ApiFixture.start(model, other, Map.of())) {
      assertError(mismatched.get(null, "/ready"), 503, "not-ready", "some-other-model@00000000");
      assertError(mismatched.post("tok-a", "/v1/search", "{\"query\": \"text\"}"), 503, "not-ready", model.modelId());
    }
  }

  static void assertError(HttpResponse<String> response, int status, String code, String messagePart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode body = ApiFixture.read(response.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.path("error").path("code").asText()).isEqualTo(code);
    assertThat(body.path("error").path("message").asText()).contains(messagePart);
    assertThat(response.body()).doesNotContain("Exception", "\tat ", ".java:");
  }
}
