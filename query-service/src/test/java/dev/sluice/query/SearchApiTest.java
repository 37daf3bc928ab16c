package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.DocumentStatus;
import dev.sluice.query.ApiFixture.Doc;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/search} and {@code GET /v1/documents/{docId}} over real HTTP, on a real Lucene
 * index holding real embeddings: results and their fields, every mode, tenant isolation, ACL groups,
 * every filter, deleted documents, and the status API.
 */
class SearchApiTest {
  private static final String ZORBLAX = "What is the capital of the planet Zorblax?";

  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir, Map.of());
    api.add(
        new Doc("tenant-a", "zorblax.txt", "Travel notes. The capital of the planet Zorblax is Quentonville, a city famous for its singing crystal gardens.",
            "file:///notes/zorblax.txt", "Zorblax travel notes", "Travel notes > Capital", "text/plain", "en",
            Map.of("team", "travel", "tags", "travel, planets"), List.of(), Instant.parse("2025-01-10T00:00:00Z")),
        new Doc("tenant-a", "marmalade.html", "Simmer the bergamot peel for three hours with demerara sugar, then add a spoon of smoked cardamom.",
            "https://wiki.example/recipes/marmalade", "Bergamot marmalade", "Method", "text/html", "en",
            Map.of("team", "kitchen", "tags", "recipes"), List.of(), Instant.parse("2025-03-10T00:00:00Z")),
        new Doc("tenant-a", "kuchen.txt", "Der Apfelkuchen wird mit Zimt und Zucker eine Stunde lang gebacken.",
            "file:///rezepte/kuchen.txt", null, "", "text/plain", "de", Map.of("team", "kitchen", "tags", "recipes,baking"),
            List.of(), Instant.parse("2025-02-01T00:00:00Z")),
        new Doc("tenant-a", "turbine.md", "When the turbine coolant pressure drops below 40 kilopascals, open valve seven and page the duty engineer.",
            "file:///ops/turbine.md", "Runbook", "Runbook > Coolant", "text/markdown", "en", Map.of("team", "ops"),
            List.of("staff"), Instant.parse("2025-05-10T00:00:00Z")),
        new Doc("tenant-a", "merger.txt", "The merger agreement with Zorblax Mining closes in March; the capital raise is confidential.",
            "file:///legal/merger.txt", "Merger memo", "", "text/plain", "en", Map.of("team", "legal"),
            List.of("legal"), Instant.parse("2025-04-01T00:00:00Z")),
        new Doc("tenant-a", "moons.txt", "The capital of Zorblax lies under its two fast moons, which orbit the planet every ninth day.",
            "file:///notes/moons.txt", null, "", "text/plain", "en", Map.of(), List.of(), Instant.parse("2025-01-20T00:00:00Z")),
        new Doc("tenant-b", "secret.txt", "The capital of Zorblax is secretly Marrowgate, according to the rival almanac.",
            "file:///b/secret.txt", null, "", "text/plain", "en", Map.of(), List.of(), Instant.parse("2025-01-05T00:00:00Z")),
        Doc.of("tenant-a", "dir/odd name+1%.txt", "An oddly named file about lighthouse keepers and their lanterns."));
    api.index.markDeleted("tenant-a", "moons.txt", Instant.parse("2025-06-01T00:00:00Z"));
    api.index.refresh();
    api.registry.put(new DocumentStatus("tenant-a", "moons.txt", DocumentStatus.State.DELETED, 2, 0,
        Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-01T00:00:01Z"), Optional.empty()));
    api.registry.put(new DocumentStatus("tenant-a", "broken.pdf", DocumentStatus.State.FAILED, 3, 0,
        Instant.parse("2025-06-02T00:00:00Z"), Instant.parse("2025-06-02T00:00:05Z"),
        Optional.of(new DocumentStatus.Failure("ingest", "unparseable", "Tika could not parse the PDF: encrypted"))));
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
  void resultsCarryCitationFieldsAndTheResponseCarriesModelAndTiming() {
    HttpResponse<String> response = api.post("tok-a", "/v1/search", ApiFixture.write(Map.of("query", ZORBLAX, "topK", 3)));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Server-Timing")).hasValueSatisfying(v -> assertThat(v).contains("embed;dur=", "search;dur="));
    JsonNode body = ApiFixture.read(response.body());
    assertThat(body.path("modelId").asText()).isEqualTo(model.modelId());
    assertThat(body.path("tookMs").isIntegralNumber()).isTrue();
    assertThat(body.path("results")).hasSizeLessThanOrEqualTo(3);
    JsonNode top = body.path("results").get(0);
    assertThat(top.path("docId").asText()).isEqualTo("zorblax.txt");
    assertThat(top.path("text").asText()).contains("Quentonville");
    assertThat(top.path("chunkId").asText()).isNotBlank();
    assertThat(top.path("score").asDouble()).isPositive();
    assertThat(top.path("source").asText()).isEqualTo("file:///notes/zorblax.txt");
    assertThat(top.path("title").asText()).isEqualTo("Zorblax travel notes");
    assertThat(top.path("section").asText()).isEqualTo("Travel notes > Capital");
    assertThat(top.path("docVersion").asLong()).isEqualTo(1);
    assertThat(Instant.parse(top.path("indexedAt").asText())).isEqualTo(Instant.parse("2025-01-10T00:00:02Z"));
    assertThat(top.path("modelId").asText()).isEqualTo(model.modelId());
  }

  @Test
  void titleIsNullRatherThanMissing() {
    JsonNode hit = api.search("tok-a", Map.of("query", "Apfelkuchen Zimt", "mode", "keyword")).path("results").get(0);
    assertThat(hit.path("docId").asText()).isEqualTo("kuchen.txt");
    assertThat(hit.has("title")).isTrue();
    assertThat(hit.get("title").isNull()).isTrue();
  }

  @Test
  void everyModeFindsTheAnswerAndDefaultsApply() {
    for (String mode : List.of("dense", "keyword", "hybrid")) {
      assertThat(api.docIds("tok-a", Map.of("query", ZORBLAX, "mode", mode))).as(mode).first().isEqualTo("zorblax.txt");
    }
    // Default hybrid, default topK 10: every visible document of tenant-a can come back, none beyond.
    assertThat(api.docIds("tok-a", Map.of("query", ZORBLAX))).first().isEqualTo("zorblax.txt");
    assertThat(api.docIds("tok-a", Map.of("query", ZORBLAX, "topK", 1))).hasSize(1);
    // Mode names are case-insensitive.
    assertThat(api.docIds("tok-a", Map.of("query", "bergamot", "mode", "KEYWORD"))).containsExactly("marmalade.html");
  }

  @Test
  void keywordModeRanksByTermsNotMeaning() {
    // No chunk holds the word, so keyword mode has nothing; dense mode always finds neighbours.
    assertThat(api.docIds("tok-a", Map.of("query", "xylophone", "mode", "keyword"))).isEmpty();
    assertThat(api.docIds("tok-a", Map.of("query", "xylophone", "mode", "dense"))).isNotEmpty();
  }

  @Test
  void noMatchIsA200WithAnEmptyList() {
    HttpResponse<String> response = api.post("tok-a", "/v1/search",
        ApiFixture.write(Map.of("query", "qwxz", "mode", "keyword")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ApiFixture.read(response.body()).path("results").isArray()).isTrue();
    assertThat(ApiFixture.read(response.body()).path("results")).isEmpty();
    JsonNode filteredAway = api.search("tok-a", Map.of("query", ZORBLAX, "filters", Map.of("docIds", List.of("no-such-doc"))));
    assertThat(filteredAway.path("results")).isEmpty();
  }

  @Test
  void tenantsSeeOnlyTheirOwnDocuments() {
    Map<String, Object> query = Map.of("query", "capital of Zorblax Quentonville Marrowgate", "topK", 50);
    List<String> a = api.docIds("tok-a", query);
    List<String> b = api.docIds("tok-b", query);
    assertThat(b).containsExactly("secret.txt");
    assertThat(a).contains("zorblax.txt").doesNotContain("secret.txt");
    // A filter naming the other tenant's document finds nothing rather than leaking it.
    assertThat(api.docIds("tok-a", Map.of("query", "Marrowgate", "filters", Map.of("docIds", List.of("secret.txt"))))).isEmpty();
    // The tenant comes from the token: a body that names one is refused.
    HttpResponse<String> named = api.post("tok-a", "/v1/search", ApiFixture.write(Map.of("query", "Marrowgate", "tenant", "tenant-b")));
    assertThat(named.statusCode()).isEqualTo(400);
    assertThat(ApiFixture.read(named.body()).path("error").path("code").asText()).isEqualTo("field-not-allowed");
  }

  @Test
  void aclGroupsDecideWhichRestrictedDocumentsACallerSees() {
    Map<String, Object> query = Map.of("query", "turbine coolant merger agreement Zorblax capital", "topK", 50);
    assertThat(api.docIds("tok-a", query)).contains("zorblax.txt").doesNotContain("turbine.md", "merger.txt");
    assertThat(api.docIds("tok-staff", query)).contains("zorblax.txt", "turbine.md").doesNotContain("merger.txt");
    assertThat(api.docIds("tok-legal", query)).contains("zorblax.txt", "merger.txt").doesNotContain("turbine.md");
    HttpResponse<String> groups = api.post("tok-a", "/v1/search", ApiFixture.write(Map.of("query", "x", "groups", List.of("staff"))));
    assertThat(groups.statusCode()).isEqualTo(400);
  }

  @Test
  void everyFilterNarrowsTheSearch() {
    String broad = "capital Zorblax bergamot Apfelkuchen turbine merger lighthouse";
    assertThat(filtered("tok-a", broad, Map.of("docIds", List.of("kuchen.txt", "marmalade.html"))))
        .containsExactlyInAnyOrder("kuchen.txt", "marmalade.html");
    assertThat(filtered("tok-a", broad, Map.of("sources", List.of("https://wiki.example/recipes/marmalade"))))
        .containsExactly("marmalade.html");
    assertThat(filtered("tok-a", broad, Map.of("contentTypes", List.of("text/html", "text/markdown"))))
        .containsExactly("marmalade.html"); // turbine.md is text/markdown but restricted to 'staff'
    assertThat(filtered("tok-staff", broad, Map.of("contentTypes", List.of("text/markdown")))).containsExactly("turbine.md");
    assertThat(filtered("tok-a", broad, Map.of("languages", List.of("de")))).containsExactly("kuchen.txt");
    assertThat(filtered("tok-a", broad, Map.of("tags", List.of("recipes"))))
        .containsExactlyInAnyOrder("kuchen.txt", "marmalade.html");
    assertThat(filtered("tok-a", broad, Map.of("tags", List.of("planets", "baking"))))
        .containsExactlyInAnyOrder("zorblax.txt", "kuchen.txt");
    assertThat(filtered("tok-a", broad, Map.of("metadata", Map.of("team", "kitchen"))))
        .containsExactlyInAnyOrder("kuchen.txt", "marmalade.html");
    assertThat(filtered("tok-a", broad, Map.of("metadata", Map.of("team", "kitchen", "tags", "recipes"))))
        .containsExactly("marmalade.html");
    assertThat(filtered("tok-a", broad, Map.of("updatedAfter", "2025-02-01T00:00:00Z")))
        .containsExactly("marmalade.html"); // strictly after: kuchen.txt at exactly that instant is out
    assertThat(filtered("tok-a", broad, Map.of("updatedBefore", "2025-01-10T00:00:00Z")))
        .containsExactly("dir/odd name+1%.txt");
    assertThat(filtered("tok-a", broad, Map.of("updatedAfter", "2025-01-09", "updatedBefore", "2025-02-01T00:00:00.001+00:00")))
        .containsExactlyInAnyOrder("zorblax.txt", "kuchen.txt");
    assertThat(filtered("tok-a", broad, Map.of("languages", List.of("en"), "tags", List.of("recipes"), "sources",
        List.of("https://wiki.example/recipes/marmalade", "file:///rezepte/kuchen.txt")))).containsExactly("marmalade.html");
    for (String mode : List.of("dense", "keyword")) {
      assertThat(api.docIds("tok-a", Map.of("query", broad, "mode", mode, "topK", 50, "filters", Map.of("languages", List.of("de")))))
          .as(mode).containsExactly("kuchen.txt");
    }
  }

  @Test
  void deletedDocumentsAreNeverReturned() {
    for (String mode : List.of("dense", "keyword", "hybrid")) {
      assertThat(api.docIds("tok-a", Map.of("query", "two fast moons orbit the planet every ninth day", "mode", mode, "topK", 50)))
          .as(mode).doesNotContain("moons.txt");
      assertThat(api.docIds("tok-a", Map.of("query", "moons", "mode", mode, "filters", Map.of("docIds", List.of("moons.txt")))))
          .as(mode).isEmpty();
    }
  }

  @Test
  void documentStatusOfAnIndexedDocument() {
    HttpResponse<String> response = api.get("tok-a", "/v1/documents/zorblax.txt");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode status = ApiFixture.read(response.body());
    assertThat(status.path("docId").asText()).isEqualTo("zorblax.txt");
    assertThat(status.path("state").asText()).isEqualTo("indexed");
    assertThat(status.path("version").asLong()).isEqualTo(1);
    assertThat(status.path("chunks").asInt()).isEqualTo(1);
    assertThat(status.path("indexedAt").asText()).isEqualTo("2025-01-10T00:00:02.500Z");
    assertThat(status.path("eventToSearchableSeconds").asDouble()).isEqualTo(2.5);
    assertThat(status.has("stage")).isFalse();
    assertThat(status.has("reason")).isFalse();
  }

  @Test
  void documentStatusOfFailedAndDeletedDocuments() {
    JsonNode failed = ApiFixture.read(api.get("tok-a", "/v1/documents/broken.pdf").body());
    assertThat(failed.path("state").asText()).isEqualTo("failed");
    assertThat(failed.path("version").asLong()).isEqualTo(3);
    assertThat(failed.path("stage").asText()).isEqualTo("ingest");
    assertThat(failed.path("reason").path("code").asText()).isEqualTo("unparseable");
    assertThat(failed.path("reason").path("message").asText()).contains("encrypted");
    assertThat(failed.has("indexedAt")).isFalse();
    JsonNode deleted = ApiFixture.read(api.get("tok-a", "/v1/documents/moons.txt").body());
    assertThat(deleted.path("state").asText()).isEqualTo("deleted");
    assertThat(deleted.path("chunks").asInt()).isZero();
  }

  @Test
  void documentIdsAreUrlDecodedExactlyOnce() {
    String encoded = URLEncoder.encode("dir/odd name+1%.txt", StandardCharsets.UTF_8).replace("+", "%20");
    HttpResponse<String> response = api.get("tok-a", "/v1/documents/" + encoded);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(ApiFixture.read(response.body()).path("docId").asText()).isEqualTo("dir/odd name+1%.txt");
    // An id's slashes may also be sent as they are.
    HttpResponse<String> raw = api.get("tok-a", "/v1/documents/dir/odd%20name%2B1%25.txt");
    assertThat(raw.statusCode()).as(raw.body()).isEqualTo(200);
    assertThat(ApiFixture.read(raw.body()).path("docId").asText()).isEqualTo("dir/odd name+1%.txt");
  }

  @Test
  void unknownOtherTenantsAndHiddenDocumentsAre404() {
    for (String[] call : new String[][] {{"tok-a", "no-such.txt"}, {"tok-a", "secret.txt"}, {"tok-b", "zorblax.txt"},
        {"tok-a", "turbine.md"}, {"tok-staff", "merger.txt"}}) {
      HttpResponse<String> response = api.get(call[0], "/v1/documents/" + call[1]);
      assertThat(response.statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
      JsonNode error = ApiFixture.read(response.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("document-not-found");
      assertThat(error.path("message").asText()).contains(call[1]);
    }
    assertThat(api.get("tok-staff", "/v1/documents/turbine.md").statusCode()).isEqualTo(200);
  }

  private static List<String> filtered(String token, String query, Map<String, Object> filters) {
    return api.docIds(token, Map.of("query", query, "topK", 50, "filters", filters));
  }
}
