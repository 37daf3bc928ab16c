package dev.sluice.query;

import static dev.sluice.query.ApiErrorsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inputs the fuzz tests found (or probe on purpose) kept as plain cases: each was a 5xx, an HTML
 * error page or an ambiguity before its fix, and must stay a JSON 4xx (or a 200).
 */
class HostileInputRegressionTest {
  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir, Map.of(QueryConfig.RATE, "1000000", QueryConfig.BURST, "1000000"));
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

  /** A body cut short of its Content-Length was read as an IOException and answered 500 with a stack trace in the log. */
  @Test
  void aBodyCutShortIsA400() {
    byte[] request = RawHttp.request("POST /v1/search HTTP/1.1", List.of("Host: 127.0.0.1", "Authorization: Bearer tok-a",
        "Content-Type: application/json", "Content-Length: 100"), "{\"query\": \"lan".getBytes(StandardCharsets.UTF_8));
    RawHttp.Reply reply = RawHttp.send(api.service.port(), request, true);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(FuzzVerdicts.errorShape(reply)).isEmpty();
    assertThat(reply.body()).contains("unreadable-body");
  }

  @Test
  void aMalformedChunkIsA400() {
    byte[] request = RawHttp.request("POST /v1/search HTTP/1.1", List.of("Host: 127.0.0.1", "Authorization: Bearer tok-a",
        "Transfer-Encoding: chunked"), "zz\r\n{\"query\": \"lantern\"}\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    RawHttp.Reply reply = RawHttp.send(api.service.port(), request, true);
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(FuzzVerdicts.errorShape(reply)).isEmpty();
  }

  /** Jetty's parser refused these with an HTML page; every 4xx is the API's JSON error now. */
  @ParameterizedTest
  @MethodSource("requestsJettyRefuses")
  void requestsRefusedBeforeAnyRouteGetTheJsonErrorShape(String requestHead, int status) {
    RawHttp.Reply reply = RawHttp.send(api.service.port(), (requestHead + "\r\n").getBytes(StandardCharsets.UTF_8), false);
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(FuzzVerdicts.errorShape(reply)).isEmpty();
    assertThat(reply.body()).doesNotContain("<h1>", "<html");
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> requestsJettyRefuses() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nX-Cr: a\rSet-Cookie: evil=1\r\n", 400),
        org.junit.jupiter.params.provider.Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\n folded\r\n", 400),
        org.junit.jupiter.params.provider.Arguments.of("GET /health HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n", 431),
        org.junit.jupiter.params.provider.Arguments.of("GET /v1/documents/" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n", 414),
        org.junit.jupiter.params.provider.Arguments.of("POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n", 400),
        org.junit.jupiter.params.provider.Arguments.of("GET /v1/documents/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-a\r\n", 400));
  }

  /** Two Authorization headers: a proxy may have checked one and the service would use the other. */
  @Test
  void twoAuthorizationHeadersAre401WhicheverComesFirst() {
    for (List<String> tokens : List.of(List.of("tok-a", "tok-b"), List.of("tok-b", "tok-a"), List.of("tok-a", "tok-a"))) {
      byte[] request = RawHttp.request("GET /v1/documents/a.txt HTTP/1.1", List.of("Host: 127.0.0.1",
          "Authorization: Bearer " + tokens.get(0), "Authorization: Bearer " + tokens.get(1)), new byte[0]);
      RawHttp.Reply reply = RawHttp.send(api.service.port(), request, false);
      assertThat(reply.status()).as(tokens + ": " + reply.body()).isEqualTo(401);
      assertThat(reply.body()).contains("exactly one");
    }
  }

  /** Dates a parser accepts but epoch milliseconds cannot hold reached the index and overflowed: a 500. */
  @ParameterizedTest
  @MethodSource("datesOutOfRange")
  void datesOutsideTheYears0To9999AreA400(String date) {
    for (String field : List.of("updatedAfter", "updatedBefore")) {
      HttpResponse<String> response = api.post("tok-a", "/v1/search",
          ApiFixture.write(Map.of("query", "lantern", "filters", Map.of(field, date))));
      assertError(response, 400, "invalid-filter", "'filters." + field + "'");
    }
  }

  static Stream<String> datesOutOfRange() {
    return Stream.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z");
  }

  @Test
  void theEdgesOfTheDateRangeAreAccepted() {
    assertThat(api.docIds("tok-a", Map.of("query", "lantern", "filters", Map.of("updatedAfter", "0000-01-01T00:00:00Z"))))
        .containsExactly("a.txt");
    assertThat(api.docIds("tok-a", Map.of("query", "lantern", "filters", Map.of("updatedBefore", "9999-12-31T23:59:59.999Z"))))
        .containsExactly("a.txt");
  }

  /** Each metadata pair is one clause of the index query; past Lucene's 1024 clauses the search threw: a 500. */
  @Test
  void tooManyFilterValuesAreA400NamingTheLimit() {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 0; i < 2000; i++) {
      pairs.put("k" + i, "v");
    }
    assertError(api.post("tok-a", "/v1/search", ApiFixture.write(Map.of("query", "lantern", "filters", Map.of("metadata", pairs)))),
        400, "invalid-filter", "'filters.metadata'");
    List<String> ids = java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "d" + i).toList();
    assertError(api.post("tok-a", "/v1/search", ApiFixture.write(Map.of("query", "lantern", "filters", Map.of("docIds", ids)))),
        400, "invalid-filter", "'filters.docIds'");
  }

  /** Lone surrogates, NUL and bidi controls reach the tokenizer and the keyword analyzer as they are. */
  @Test
  void queriesOfBrokenUnicodeAreAnsweredInEveryMode() {
    for (String mode : List.of("dense", "keyword", "hybrid")) {
      for (String query : List.of("\ud800", "lantern \udfff wick", "\u0000", "\u202elantern", "\ufeff\u200b")) {
        HttpResponse<String> response = api.post("tok-a", "/v1/search", HostileJson.write(Map.of("query", query, "mode", mode)));
        assertThat(response.statusCode()).as(mode + " " + HostileJson.write(query) + ": " + response.body()).isIn(200, 400);
      }
    }
  }
}
