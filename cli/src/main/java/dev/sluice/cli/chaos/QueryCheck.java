package dev.sluice.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * After the drain, asks the query service over HTTP for the status of every document and compares
 * each answer with what the index's registry holds (read here, read-only), and checks that a search
 * answers with hits: a query service killed and restarted must serve what the index says. The query
 * service sees a commit within about half a second, so the check is repeated for a little while
 * before a difference counts.
 */
final class QueryCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /**
   * @param checked documents asked for
   * @param mismatches documents whose answer differs from the registry (or that failed to answer)
   * @param searchAnswered whether a search returned 200 with at least one hit
   * @param examples the first few differences
   */
  record Verdict(int checked, int mismatches, boolean searchAnswered, List<String> examples) {
    static final Verdict NOT_RUN = new Verdict(0, 0, false, List.of("not run: the pipeline did not drain"));

    boolean passed() {
      return mismatches == 0 && searchAnswered;
    }
  }

  private QueryCheck() {}

  static Verdict run(String baseUrl, String token, Path indexDir, Collection<String> docIds, String searchText)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    try (LuceneDocumentRegistry registry = LuceneDocumentRegistry.openReadOnly(IndexLayout.documents(indexDir))) {
      while (true) {
        registry.refresh();
        List<String> differences = new ArrayList<>();
        for (String docId : docIds) {
          String expected = registry.get(ChaosWorkload.TENANT, docId).map(QueryCheck::describe).orElse("404");
          String answered = answer(baseUrl, token, docId);
          if (!expected.equals(answered)) {
            differences.add(docId + ": query service says " + answered + ", index " + expected);
          }
        }
        boolean searched = search(baseUrl, token, searchText);
        if ((differences.isEmpty() && searched) || System.nanoTime() > deadline) {
          return new Verdict(docIds.size(), differences.size(), searched, differences.subList(0, Math.min(5, differences.size())));
        }
        Thread.sleep(1000);
      }
    }
  }

  private static String describe(DocumentStatus status) {
    return status.state().name().toLowerCase(Locale.ROOT) + " v" + status.version();
  }

  private static String answer(String baseUrl, String token, String docId) throws InterruptedException {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/documents/" + docId))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return "404";
      }
      if (response.statusCode() != 200) {
        return "HTTP " + response.statusCode();
      }
      JsonNode body = JSON.readTree(response.body());
      return body.path("state").asText() + " v" + body.path("version").asLong();
    } catch (IOException e) {
      return "no answer (" + e.getMessage() + ")";
    }
  }

  private static boolean search(String baseUrl, String token, String text) throws InterruptedException {
    try {
      String body = JSON.createObjectNode().put("query", text).put("topK", 3).toString();
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/search"))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          && Optional.ofNullable(JSON.readTree(response.body()).get("results")).map(JsonNode::size).orElse(0) > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
