package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP layer under abuse, on a bare socket: bodies cut short, malformed chunks, missing, bad and
 * duplicate Authorization headers, 100 KiB and thousands of headers, CR/LF and NUL inside headers,
 * conflicting Content-Length and Transfer-Encoding, random methods and paths. Whatever comes in, the
 * answer is never a 5xx and every 4xx is the API's JSON error, and {@code /health} still answers.
 * Only a request whose framing is cut short may be answered by closing the connection. Tries:
 * {@code -Dsluice.fuzz.tries} (default 600).
 */
class HttpProtocolFuzzTest {
  private static final String TARGET = "http.protocol";
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
      "CONNECT", "PROPFIND", "get", "FOO", "G\u00c9T", "GET\u0000", "");
  private static final List<String> PATHS = List.of("/", "/v1/search", "/v1/documents/a.txt", "/v1/documents/", "/v1/documents",
      "/v1/documents/%", "/v1/documents/%zz", "/v1/documents/%00", "/v1/documents/..%2f..%2fetc%2fpasswd",
      "/v1/documents/a/../../stats", "/v1/documents/" + "x".repeat(9000), "/v1/documents/%C0%AE%C0%AE", "/v1/documents/%ED%A0%80",
      "/stats", "/metrics", "/health", "/ready", "/openapi.json", "/app.js", "/index.html", "/../../etc/passwd", "//", "/;a=b",
      "/v1/%2e%2e/stats", "/%2e%2e/%2e%2e/etc/passwd", "*", "http://evil.example/v1/search", "/v1/search?x=" + "y".repeat(3000),
      "/v1/search#frag", "/v1/search?query=a&query=b", "/\u00e9", "/v1//search", "/V1/SEARCH", "/v1/search/", "/.git/config",
      "/WEB-INF/web.xml", "/v1/documents/a.txt?tenant=tenant-b");
  private static final List<String> AUTHORIZATIONS = List.of("Bearer tok-a", "Bearer tok-b", "bearer tok-a", "BEARER tok-staff",
      "Bearer  tok-a  ", "Bearer", "Bearer ", "Bearer tok-a tok-b", "Basic dG9rLWE6", "tok-a", "Bearer tok-a\u0000",
      "Bearer t\u00f6k", "Bearer \u202etok-a", "Bearer " + "x".repeat(5000), "Bearer tok-a, Bearer tok-b", "Bearer tok-\r-a",
      "Bearer tok-a\rX-Injected: 1", "Negotiate abc", "Bearer %74ok-a", "Bearer tok-A", "Bearer tok-a=tenant-b");

  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir, Map.of(QueryConfig.MAX_BODY, "4096", QueryConfig.RATE, "1000000", QueryConfig.BURST,
        "1000000"));
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

  /** One hostile request and whether closing the connection is a fair answer to it. */
  private record Attempt(byte[] bytes, boolean halfClose, boolean mayClose) {}

  @Test
  void hostileRequestsGetA2xxOrAJsonErrorAndNeverA5xx() {
    SplittableRandom random = Fuzz.random(TARGET);
    HostileJson json = new HostileJson(random);
    FuzzVerdicts verdicts = new FuzzVerdicts(TARGET);
    int tries = Fuzz.tries(600);
    int healthy = 0;
    for (int i = 0; i < tries; i++) {
      Attempt attempt = switch (random.nextInt(6)) {
        case 0 -> truncatedBody(random, json);
        case 1 -> malformedChunks(random, json);
        case 2 -> authorization(random, json);
        case 3 -> headerAbuse(random, json);
        case 4 -> framingConflict(random, json);
        default -> randomRoute(random, json);
      };
      RawHttp.Reply reply = RawHttp.send(api.service.port(), attempt.bytes(), attempt.halfClose());
      verdicts.judgeRaw(attempt.bytes(), reply, attempt.mayClose());
      if (i % 100 == 99 && api.get(null, "/health").statusCode() == 200) {
        healthy++;
      }
    }
    boolean healthAfter = api.get(null, "/health").statusCode() == 200;
    verdicts.printSummary();
    assertThat(verdicts.violations()).as("replies that broke the API's promise").isEmpty();
    assertThat(verdicts.fiveXx()).isZero();
    assertThat(healthy).as("/health between batches").isEqualTo(tries / 100);
    assertThat(healthAfter).as("/health after the fuzz").isTrue();
    assertThat(api.docIds("tok-a", Map.of("query", "lighthouse lantern"))).containsExactly("a.txt");
  }

  private static List<String> baseHeaders(HostileJson json) {
    return new ArrayList<>(List.of("Host: 127.0.0.1", "Authorization: Bearer " + json.pick(List.of("tok-a", "tok-b", "tok-staff"))));
  }

  /** Content-Length promises more than is sent, then the client stops sending. */
  private static Attempt truncatedBody(SplittableRandom random, HostileJson json) {
    byte[] body = json.searchBody().getBytes(StandardCharsets.UTF_8);
    int sent = body.length == 0 ? 0 : random.nextInt(body.length);
    List<String> headers = baseHeaders(json);
    headers.add("Content-Type: application/json");
    headers.add("Content-Length: " + (body.length + random.nextInt(1, 100)));
    byte[] cut = java.util.Arrays.copyOf(body, sent);
    return new Attempt(RawHttp.request("POST /v1/search HTTP/1.1", headers, cut), true, true);
  }

  private static Attempt malformedChunks(SplittableRandom random, HostileJson json) {
    String body = json.searchBody();
    List<String> headers = baseHeaders(json);
    headers.add("Transfer-Encoding: chunked");
    String chunks = switch (random.nextInt(6)) {
      case 0 -> "zz\r\n" + body + "\r\n0\r\n\r\n";
      case 1 -> Integer.toHexString(body.length() + 50) + "\r\n" + body + "\r\n0\r\n\r\n";
      case 2 -> Integer.toHexString(body.length()) + "\r\n" + body + "\r\n";
      case 3 -> "-5\r\n" + body + "\r\n0\r\n\r\n";
      case 4 -> "ffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n";
      default -> Integer.toHexString(body.length()) + ";ext=" + "e".repeat(random.nextInt(10, 10_000)) + "\r\n" + body + "\r\n0\r\n\r\n";
    };
    return new Attempt(RawHttp.request("POST /v1/search HTTP/1.1", headers, chunks.getBytes(StandardCharsets.UTF_8)), true, true);
  }

  /** No, bad, odd or several Authorization headers on every authenticated route. */
  private static Attempt authorization(SplittableRandom random, HostileJson json) {
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1"));
    int count = random.nextInt(0, 4);
    for (int i = 0; i < count; i++) {
      headers.add((random.nextBoolean() ? "Authorization: " : "authorization:") + json.pick(AUTHORIZATIONS));
    }
    String path = json.pick(List.of("/v1/search", "/v1/documents/a.txt", "/stats"));
    byte[] body = path.equals("/v1/search") ? "{\"query\":\"lantern\",\"mode\":\"keyword\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
    headers.add("Content-Length: " + body.length);
    String method = path.equals("/v1/search") ? "POST" : "GET";
    return new Attempt(RawHttp.request(method + " " + path + " HTTP/1.1", headers, body), false, false);
  }

  /** Very long, very many, folded, nameless, NUL- or CR-bearing headers. */
  private static Attempt headerAbuse(SplittableRandom random, HostileJson json) {
    List<String> headers = baseHeaders(json);
    switch (random.nextInt(8)) {
      case 0 -> headers.add("X-Long: " + "a".repeat(random.nextInt(1000, 200_000)));
      case 1 -> {
        for (int i = random.nextInt(100, 3000); i > 0; i--) {
          headers.add("X-Many-" + i + ": " + i);
        }
      }
      case 2 -> headers.add(" folded-continuation");
      case 3 -> headers.add(": no name");
      case 4 -> headers.add("X-Nul: a\u0000b");
      case 5 -> headers.add("X-Cr: a\rSet-Cookie: evil=1");
      case 6 -> headers.add("X-Utf8: " + json.string());
      default -> headers.add(json.string().replace(':', '_') + ": value");
    }
    String path = json.pick(List.of("/v1/documents/a.txt", "/health", "/stats", "/metrics"));
    return new Attempt(RawHttp.request("GET " + path + " HTTP/1.1", headers, new byte[0]), false, false);
  }

  /** Request smuggling shapes: two lengths, length and chunked, negative or absurd lengths, no Host, odd versions. */
  private static Attempt framingConflict(SplittableRandom random, HostileJson json) {
    String body = "{\"query\":\"lantern\"}";
    List<String> headers = baseHeaders(json);
    String requestLine = "POST /v1/search HTTP/1.1";
    switch (random.nextInt(9)) {
      case 0 -> {
        headers.add("Content-Length: " + body.length());
        headers.add("Content-Length: " + (body.length() + 3));
      }
      case 1 -> {
        headers.add("Content-Length: " + body.length());
        headers.add("Transfer-Encoding: chunked");
      }
      case 2 -> headers.add("Content-Length: -1");
      case 3 -> headers.add("Content-Length: 99999999999999999999");
      case 4 -> headers.add("Content-Length: 1e3");
      case 5 -> {
        headers.removeIf(h -> h.startsWith("Host:"));
        headers.add("Content-Length: " + body.length());
      }
      case 6 -> {
        requestLine = json.pick(List.of("POST /v1/search HTTP/1.0", "POST /v1/search HTTP/9.9", "POST /v1/search HTTP/1",
            "POST /v1/search", "POST  /v1/search  HTTP/1.1", "POST /v1/search HTTP/1.1 extra", "POST /v1/search HTTP/2.0"));
        headers.add("Content-Length: " + body.length());
      }
      case 7 -> headers.add("Transfer-Encoding: gzip, chunked");
      default -> headers.add("Transfer-Encoding: identity");
    }
    // What is sent after the headers may be read as the start of a second request: smuggling tries exactly that.
    String payload = body + (random.nextBoolean() ? "GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" : "");
    return new Attempt(RawHttp.request(requestLine, headers, payload.getBytes(StandardCharsets.UTF_8)), true, true);
  }

  /** Any method on any path, with or without a token, with a random query string or body. */
  private static Attempt randomRoute(SplittableRandom random, HostileJson json) {
    List<String> headers = random.nextBoolean() ? baseHeaders(json) : new ArrayList<>(List.of("Host: 127.0.0.1"));
    String path = json.chance(0.8) ? json.pick(PATHS) : "/" + json.string().replace(' ', '_').replace('\r', '_').replace('\n', '_');
    if (json.chance(0.2)) {
      path += (path.contains("?") ? "&" : "?") + "q=" + json.string().replace(' ', '+').replace('\r', '_').replace('\n', '_');
    }
    byte[] body = json.chance(0.3) ? json.searchBody().getBytes(StandardCharsets.UTF_8) : new byte[0];
    headers.add("Content-Length: " + body.length);
    String method = json.pick(METHODS);
    // A malformed request line is the client's fault at the framing level: closing is a fair answer.
    boolean wellFormedLine = !method.isEmpty() && method.chars().allMatch(c -> c > 0x20 && c < 0x7f)
        && path.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    return new Attempt(RawHttp.request(method + " " + path + " HTTP/1.1", headers, body), false, !wellFormedLine);
  }
}
