package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs evaluation queries through {@code POST /v1/search}, timing each one. Unlike {@link ApiClient}
 * it keeps the response headers (the server's own embed/search split in {@code Server-Timing}) and
 * honours 429 {@code Retry-After}, because an evaluation must finish rather than trip the rate limit.
 */
final class EvalSearch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TIMING = Pattern.compile("(embed|search);dur=([0-9.]+)");
  private static final int MAX_RETRIES = 20;

  /**
   * One answered query.
   *
   * @param documents document ids, best first, each at the rank of its best chunk
   * @param modelId the embedding model the API reported
   * @param latencyMillis as the client saw it
   * @param embedMillis the server's query embedding time, when reported
   * @param searchMillis the server's index search time, when reported
   */
  record Answer(List<String> documents, String modelId, double latencyMillis, OptionalDouble embedMillis, OptionalDouble searchMillis) {}

  /** The API refused the request with 400 (the message says why). */
  static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    Rejected(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String token;

  EvalSearch(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  Answer search(String query, int topK, String mode) throws InterruptedException {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("query", query, "topK", topK, "mode", mode));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/search"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    for (int attempt = 0; ; attempt++) {
      long started = System.nanoTime();
      HttpResponse<String> response = send(request);
      double latency = (System.nanoTime() - started) / 1e6;
      JsonNode json = parse(response);
      int status = response.statusCode();
      if (status == 200) {
        return new Answer(documents(json), json.path("modelId").asText(), latency, timing(response, "embed"), timing(response, "search"));
      }
      String code = json.path("error").path("code").asText();
      String message = json.path("error").path("message").asText();
      if ((status == 429 || status == 503) && attempt < MAX_RETRIES) {
        Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
        continue;
      }
      if (status == 400) {
        throw new Rejected(code, message);
      }
      throw new CliException("query API: " + status + " " + code + ": " + message);
    }
  }

  /** GET /v1/documents/{docId}: the document's state, or empty when the API says 404. */
  Optional<String> documentState(String docId) throws InterruptedException {
    String path = "/v1/documents/" + URLEncoder.encode(docId, StandardCharsets.UTF_8).replace("+", "%20");
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode json = parse(response);
    if (response.statusCode() != 200) {
      throw new CliException("query API: " + response.statusCode() + " " + json.path("error").path("code").asText()
          + ": " + json.path("error").path("message").asText());
    }
    return Optional.of(json.path("state").asText());
  }

  // Results come best first, so the first chunk seen of a document is its best one.
  private static List<String> documents(JsonNode json) {
    Set<String> docs = new LinkedHashSet<>();
    json.path("results").forEach(hit -> docs.add(hit.path("docId").asText()));
    return new ArrayList<>(docs);
  }

  private static OptionalDouble timing(HttpResponse<String> response, String name) {
    Matcher m = TIMING.matcher(response.headers().firstValue("Server-Timing").orElse(""));
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return OptionalDouble.of(Double.parseDouble(m.group(2)));
      }
    }
    return OptionalDouble.empty();
  }

  private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("cannot reach the query API at " + baseUrl + ": is 'sluice local' running?");
    } catch (IOException e) {
      throw new CliException("query API call failed: " + e.getMessage());
    }
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException("the query API answered " + response.statusCode() + " with a body that is not JSON");
    }
  }
}
