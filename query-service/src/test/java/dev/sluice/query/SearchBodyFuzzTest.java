package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.query.ApiFixture.Doc;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/search} with seeded random bodies ({@link HostileJson}), the same bodies cut short,
 * with a byte changed, with invalid UTF-8, over the size limit (declared and chunked), under every
 * content type: the API answers each with a 200 or a JSON 4xx, never a 5xx, and still serves
 * afterwards. Tries: {@code -Dsluice.fuzz.tries} (default 400).
 */
class SearchBodyFuzzTest {
  private static final String TARGET = "http.search-body";
  private static final int MAX_BODY = 16 * 1024;
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
      "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz", "application/xml", "*/*", "", "application/json; charset=\u00ff", "a".repeat(300));
  private static final List<String> TOKENS = List.of("tok-a", "tok-b", "tok-staff", "tok-legal");

  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    // No rate limit here: a 429 would hide what the body itself does.
    api = ApiFixture.start(model, dir, Map.of(QueryConfig.MAX_BODY, Integer.toString(MAX_BODY), QueryConfig.RATE, "1000000",
        QueryConfig.BURST, "1000000"));
    api.add(Doc.of("tenant-a", "a.txt", "The lighthouse keeper trims the lantern wick at dusk."),
        Doc.of("tenant-b", "b.txt", "The capital of Zorblax is Marrowgate."));
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
  void randomSearchBodiesGetA200OrAJsonErrorAndNeverA5xx() {
    SplittableRandom random = Fuzz.random(TARGET);
    HostileJson json = new HostileJson(random);
    FuzzVerdicts verdicts = new FuzzVerdicts(TARGET);
    int tries = Fuzz.tries(400);
    int healthy = 0;
    for (int i = 0; i < tries; i++) {
      String valid = json.searchBody();
      byte[] body;
      boolean chunked = json.chance(0.1);
      switch (random.nextInt(10)) {
        case 0 -> body = mutate(random, valid.getBytes(StandardCharsets.UTF_8));
        case 1 -> body = withInvalidUtf8(random, valid);
        case 2 -> body = oversize(random);
        default -> body = valid.getBytes(StandardCharsets.UTF_8);
      }
      String contentType = json.pick(CONTENT_TYPES);
      List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1", "Authorization: Bearer " + json.pick(TOKENS)));
      if (!contentType.isEmpty()) {
        headers.add("Content-Type: " + contentType);
      }
      byte[] request;
      if (chunked) {
        headers.add("Transfer-Encoding: chunked");
        request = RawHttp.request("POST /v1/search HTTP/1.1", headers, chunk(random, body));
      } else {
        headers.add("Content-Length: " + body.length);
        request = RawHttp.request("POST /v1/search HTTP/1.1", headers, body);
      }
      RawHttp.Reply reply = RawHttp.send(api.service.port(), request, false);
      verdicts.judge(describe(headers, body), reply, false);
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
    // A valid search still works: nothing was left broken (a leaked search slot would show here as 429).
    assertThat(api.docIds("tok-a", Map.of("query", "lighthouse lantern"))).containsExactly("a.txt");
  }

  /** Truncates, flips, inserts or deletes a byte: mostly malformed JSON, sometimes valid JSON of another meaning. */
  static byte[] mutate(SplittableRandom random, byte[] body) {
    if (body.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(body.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(4)) {
      case 0 -> out.write(body, 0, at);
      case 1 -> {
        byte[] copy = body.clone();
        copy[at] = (byte) random.nextInt(256);
        out.writeBytes(copy);
      }
      case 2 -> {
        out.write(body, 0, at);
        out.write(random.nextInt(256));
        out.write(body, at, body.length - at);
      }
      default -> {
        out.write(body, 0, at);
        out.write(body, at + 1, body.length - at - 1);
      }
    }
    return out.toByteArray();
  }

  /** A body whose query string holds bytes that are not UTF-8 (lone continuation, overlong, encoded surrogate, 0xFF). */
  static byte[] withInvalidUtf8(SplittableRandom random, String valid) {
    byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"query\":\"lantern ".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad[random.nextInt(bad.length)]);
    out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
    return random.nextBoolean() ? out.toByteArray() : mutate(random, valid.getBytes(StandardCharsets.UTF_8));
  }

  /** A body over the limit: one long query, or thousands of filter values. */
  static byte[] oversize(SplittableRandom random) {
    int size = MAX_BODY + random.nextInt(1, 4 * MAX_BODY);
    String filler = random.nextBoolean() ? "w".repeat(size) : "\"d\",".repeat(size / 4) + "\"d\"";
    String body = random.nextBoolean() ? "{\"query\":\"" + filler + "\"}" : "{\"query\":\"x\",\"filters\":{\"docIds\":[" + filler + "]}}";
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** The body in chunks of random sizes, then the last chunk. */
  static byte[] chunk(SplittableRandom random, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, random.nextInt(1, 8192));
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      at += n;
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String describe(List<String> headers, byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return headers + " body(" + body.length + " bytes)=" + (printable ? text : HexFormat.of().formatHex(body, 0, Math.min(body.length, 150)));
  }
}
