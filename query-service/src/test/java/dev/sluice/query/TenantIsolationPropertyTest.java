package dev.sluice.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.SearchFilters;
import dev.sluice.query.ApiFixture.Doc;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation as a property, over real HTTP and a real Lucene index: two tenants whose
 * documents draw their sources, content types, languages, tags, metadata, times and ACL groups from
 * the same pools (and share some document ids), searched with filters drawn from the values of
 * BOTH tenants, for every combination of the eight filter fields, in every mode, with every token.
 * Every hit must be a document of the token's tenant that its groups may see and that the filters
 * match; dense search must return exactly those documents (so a filter that wrongly narrows shows up
 * too). The status API must answer another tenant's document like an unknown one, {@code /stats}
 * must count one tenant, and {@code /metrics} must name no tenant, document or query. Draws: {@code
 * -Dsluice.fuzz.tries} (default 256: each of the 256 filter combinations once, under 3 modes x 3
 * tokens; more draws repeat the combinations with new values and add a fourth token).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationPropertyTest {
  private static final String TARGET = "isolation";
  /** The eight filter fields of the API contract; the subsets of these are the combinations. */
  private static final List<String> FILTERS = List.of("docIds", "sources", "contentTypes", "languages", "tags", "metadata",
      "updatedAfter", "updatedBefore");
  private static final List<String> MODES = List.of("dense", "keyword", "hybrid");
  /** Token → tenant and groups, as ApiFixture.TOKENS configures them. */
  private static final Map<String, Caller> TOKENS = Map.of("tok-a", new Caller("tenant-a", Set.of()),
      "tok-staff", new Caller("tenant-a", Set.of("staff")), "tok-legal", new Caller("tenant-a", Set.of("legal", "finance")),
      "tok-b", new Caller("tenant-b", Set.of()));
  /**
   * The tokens every search draw runs under: tenant-a public, tenant-a|staff, tenant-b; the
   * two-group token joins in runs of more than 256 draws (it costs a third more time, and the status
   * and stats checks below cover it on every run).
   */
  private static final List<String> SEARCH_TOKENS = Fuzz.tries(256) > 256 ? List.of("tok-a", "tok-staff", "tok-b", "tok-legal")
      : List.of("tok-a", "tok-staff", "tok-b");
  private static final List<String> SOURCES = List.of("file:///shared/handbook.md", "https://wiki.example/ops", "s3://bucket/x",
      "file:///a-only/notes.txt");
  private static final List<String> CONTENT_TYPES = List.of("text/plain", "text/html", "application/pdf", "text/markdown");
  private static final List<String> LANGUAGES = List.of("en", "de", "fr");
  private static final List<String> TAGS = List.of("ops", "recipes", "legal", "travel", "x y");
  private static final List<String> TEAMS = List.of("ops", "kitchen", "legal");
  private static final List<List<String>> ACLS = List.of(List.of(), List.of(), List.of("staff"), List.of("legal"),
      List.of("staff", "finance"), List.of("nobody"));
  private static final List<String> WORDS = List.of("lantern", "harbour", "turbine", "marmalade", "glacier", "orchard",
      "ledger", "compass", "quarry", "meadow");

  private record Caller(String tenant, Set<String> groups) {}

  @TempDir static Path dir;
  private static EmbeddingModel model;
  private static ApiFixture api;
  private static final List<Doc> docs = new ArrayList<>();
  private static final Map<String, Doc> byChunkId = new LinkedHashMap<>();
  private static final Set<String> queriesSent = new TreeSet<>();

  @BeforeAll
  static void start() {
    model = ModelCatalogue.loadDefault();
    api = ApiFixture.start(model, dir, Map.of(QueryConfig.RATE, "1000000", QueryConfig.BURST, "1000000"));
    SplittableRandom random = Fuzz.random(TARGET + ".corpus");
    // Different sizes, so that counts of the wrong tenant cannot pass for the right ones.
    for (int i = 0; i < 14; i++) {
      docs.add(randomDoc(random, "tenant-a", i < 5 ? "shared-" + i + ".txt" : "a-only-" + i + ".txt"));
    }
    for (int i = 0; i < 9; i++) {
      docs.add(randomDoc(random, "tenant-b", i < 5 ? "shared-" + i + ".txt" : "b-only-" + i + ".txt"));
    }
    api.add(docs.toArray(Doc[]::new));
    for (Doc d : docs) {
      byChunkId.put(chunkId(d), d);
      // tenant-b's statuses carry version 7, so a status answered from the wrong tenant shows.
      if (d.tenant().equals("tenant-b")) {
        api.registry.put(new DocumentStatus(d.tenant(), d.docId(), DocumentStatus.State.INDEXED, 7, 1, d.eventTime(),
            d.eventTime().plusSeconds(3), Optional.empty()));
      }
    }
    api.registry.commit();
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

  private static Doc randomDoc(SplittableRandom random, String tenant, String docId) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (random.nextBoolean()) {
      metadata.put("team", pick(random, TEAMS));
    }
    if (random.nextInt(3) > 0) {
      metadata.put("tags", pick(random, TAGS) + (random.nextBoolean() ? ", " + pick(random, TAGS) : ""));
    }
    String text = pick(random, WORDS) + " " + pick(random, WORDS) + " " + pick(random, WORDS) + " notes of " + tenant;
    return new Doc(tenant, docId, text, pick(random, SOURCES), null, "", random.nextInt(5) == 0 ? null : pick(random, CONTENT_TYPES),
        random.nextInt(5) == 0 ? null : pick(random, LANGUAGES), metadata, pick(random, ACLS),
        Instant.parse("2025-01-01T00:00:00Z").plusSeconds(86_400L * random.nextInt(0, 200)));
  }

  private static String chunkId(Doc d) {
    return java.util.UUID.nameUUIDFromBytes((d.tenant() + "/" + d.docId() + "/0").getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  @Order(1)
  void everyHitBelongsToTheTokensTenantIsVisibleToItsGroupsAndMatchesTheFilters() {
    SplittableRandom random = Fuzz.random(TARGET + ".search");
    int draws = Fuzz.tries(1 << FILTERS.size());
    long searches = 0;
    long hits = 0;
    List<String> leaks = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    Set<Integer> combinations = new HashSet<>();
    for (int draw = 0; draw < draws; draw++) {
      int combination = draw % (1 << FILTERS.size());
      combinations.add(combination);
      Map<String, Object> filters = filters(random, combination);
      String query = pick(random, WORDS) + " " + pick(random, WORDS);
      queriesSent.add(query);
      for (String mode : MODES) {
        for (String tokenName : SEARCH_TOKENS) {
          Map.Entry<String, Caller> token = Map.entry(tokenName, TOKENS.get(tokenName));
          Map<String, Object> body = Map.of("query", query, "mode", mode, "topK", 50, "filters", filters);
          JsonNode results = api.search(token.getKey(), body).path("results");
          searches++;
          Set<String> expected = matching(token.getValue(), filters);
          Set<String> found = new TreeSet<>();
          for (JsonNode hit : results) {
            hits++;
            Doc doc = byChunkId.get(hit.path("chunkId").asText());
            String where = token.getKey() + " " + mode + " " + ApiFixture.write(filters) + " -> " + hit.path("docId").asText();
            if (doc == null || !doc.tenant().equals(token.getValue().tenant()) || !hit.path("text").asText().equals(doc.text())) {
              leaks.add("another tenant's hit: " + where);
            } else if (!visible(doc, token.getValue())) {
              leaks.add("a hit hidden from the token's groups: " + where);
            } else if (!expected.contains(doc.docId())) {
              wrong.add("a hit the filters exclude: " + where);
            }
            found.add(hit.path("docId").asText());
          }
          // Dense search ranks every visible point, so with topK above the corpus size it returns all matches.
          if (mode.equals("dense") && !found.equals(expected)) {
            wrong.add(token.getKey() + " dense " + ApiFixture.write(filters) + ": expected " + expected + " got " + found);
          }
        }
      }
    }
    Fuzz.summary(TARGET + ".search", searches, 0, 0, 0, "draws=" + draws + " combinations=" + combinations.size() + " modes="
        + MODES.size() + " tokens=" + SEARCH_TOKENS.size() + " hits=" + hits + " leaks=" + leaks.size() + " wrong=" + wrong.size());
    assertThat(leaks).as("hits outside the token's tenant or groups").isEmpty();
    assertThat(wrong).as("hits the filters do not allow, or matches missing").isEmpty();
    // Most combinations of several filters match nothing; enough of them must match for the property to mean something.
    assertThat(hits).as("the property was exercised on real hits").isGreaterThan(searches / 8);
  }

  /** Filters over the fields of {@code combination} (a bit per field), with values drawn from both tenants' documents. */
  private static Map<String, Object> filters(SplittableRandom random, int combination) {
    Map<String, Object> filters = new LinkedHashMap<>();
    for (int bit = 0; bit < FILTERS.size(); bit++) {
      if ((combination & (1 << bit)) == 0) {
        continue;
      }
      String field = FILTERS.get(bit);
      switch (field) {
        case "docIds" -> filters.put(field, some(random, docs.stream().map(Doc::docId).distinct().toList()));
        case "sources" -> filters.put(field, some(random, SOURCES));
        case "contentTypes" -> filters.put(field, some(random, CONTENT_TYPES));
        case "languages" -> filters.put(field, some(random, LANGUAGES));
        case "tags" -> filters.put(field, some(random, TAGS));
        case "metadata" -> filters.put(field, random.nextBoolean() ? Map.of("team", pick(random, TEAMS))
            : Map.of("tags", pick(random, docs).metadata().getOrDefault("tags", "ops")));
        case "updatedAfter" -> filters.put(field, pick(random, docs).eventTime().minusSeconds(random.nextInt(0, 2) * 86_400L).toString());
        default -> filters.put(field, pick(random, docs).eventTime().plusSeconds(random.nextInt(0, 2) * 86_400L).toString());
      }
    }
    if (filters.containsKey("updatedAfter") && filters.containsKey("updatedBefore")
        && !Instant.parse((String) filters.get("updatedAfter")).isBefore(Instant.parse((String) filters.get("updatedBefore")))) {
      Object after = filters.get("updatedAfter");
      filters.put("updatedAfter", filters.get("updatedBefore"));
      filters.put("updatedBefore", Instant.parse((String) after).plusSeconds(1).toString());
    }
    return filters;
  }

  /** The docIds the contract says {@code caller} finds with {@code filters}: its tenant, its groups, every filter. */
  @SuppressWarnings("unchecked")
  private static Set<String> matching(Caller caller, Map<String, Object> filters) {
    return docs.stream().filter(d -> d.tenant().equals(caller.tenant()) && visible(d, caller)).filter(d -> {
      for (Map.Entry<String, Object> filter : filters.entrySet()) {
        Object value = filter.getValue();
        boolean ok = switch (filter.getKey()) {
          case "docIds" -> ((List<String>) value).contains(d.docId());
          case "sources" -> ((List<String>) value).contains(d.source());
          case "contentTypes" -> d.contentType() != null && ((List<String>) value).contains(d.contentType());
          case "languages" -> d.language() != null && ((List<String>) value).contains(d.language());
          case "tags" -> tags(d).stream().anyMatch(((List<String>) value)::contains);
          case "metadata" -> ((Map<String, String>) value).entrySet().stream()
              .allMatch(e -> e.getValue().equals(d.metadata().get(e.getKey())));
          case "updatedAfter" -> d.eventTime().isAfter(Instant.parse((String) value));
          default -> d.eventTime().isBefore(Instant.parse((String) value));
        };
        if (!ok) {
          return false;
        }
      }
      return true;
    }).map(Doc::docId).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> tags(Doc d) {
    String tags = d.metadata().get(SearchFilters.TAGS_KEY);
    return tags == null ? Set.of() : Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
  }

  private static boolean visible(Doc d, Caller caller) {
    return d.acl().isEmpty() || d.acl().stream().anyMatch(caller.groups()::contains);
  }

  /**
   * Another tenant's document, or one the token's groups may not see, answers exactly as an id that
   * never existed does (same status, type and body, up to the id it names), so the status API never
   * confirms what search hides. A shared id answers with the token's own tenant's status.
   */
  @Test
  @Order(2)
  void theStatusOfADocumentTheTokenMayNotSeeIsAnswered404LikeAnUnknownId() {
    long checked = 0;
    for (Map.Entry<String, Caller> token : TOKENS.entrySet()) {
      Caller caller = token.getValue();
      for (Doc d : docs) {
        HttpResponse<String> response = api.get(token.getKey(), "/v1/documents/" + URLEncoder.encode(d.docId(), StandardCharsets.UTF_8));
        checked++;
        Optional<Doc> own = docs.stream().filter(o -> o.tenant().equals(caller.tenant()) && o.docId().equals(d.docId())).findFirst();
        if (own.isPresent() && visible(own.get(), caller)) {
          assertThat(response.statusCode()).as(token.getKey() + " " + d.docId()).isEqualTo(200);
          long version = ApiFixture.read(response.body()).path("version").asLong();
          assertThat(version).as(token.getKey() + " " + d.docId() + " answered from its own tenant").isEqualTo(caller.tenant().equals("tenant-b") ? 7 : 1);
        } else {
          String unknownId = "never-existed-" + d.docId();
          HttpResponse<String> unknown = api.get(token.getKey(), "/v1/documents/" + unknownId);
          assertThat(response.statusCode()).as(token.getKey() + " " + d.docId()).isEqualTo(404);
          assertThat(response.headers().firstValue("Content-Type")).isEqualTo(unknown.headers().firstValue("Content-Type"));
          assertThat(response.body()).as(token.getKey() + " " + d.docId()).isEqualTo(unknown.body().replace(unknownId, d.docId()));
        }
      }
    }
    Fuzz.summary(TARGET + ".status", checked, 0, 0, 0, "tokens=" + TOKENS.size() + " documents=" + docs.size() + " leaks=0");
  }

  @Test
  @Order(3)
  void statsCountOnlyTheTokensTenant() {
    for (Map.Entry<String, Caller> token : TOKENS.entrySet()) {
      JsonNode stats = ApiFixture.read(api.get(token.getKey(), "/stats").body());
      long own = docs.stream().filter(d -> d.tenant().equals(token.getValue().tenant())).count();
      assertThat(stats.path("points").asLong()).as(token.getKey()).isEqualTo(own);
      assertThat(stats.path("documents").path("indexed").asLong()).as(token.getKey()).isEqualTo(own);
    }
  }

  /** Runs last, after every search and status call above: the scrape holds what they recorded. */
  @Test
  @Order(4)
  void metricsNameNoTenantDocumentOrQuery() {
    api.search("tok-b", Map.of("query", "quarry meadow zzsecretzz"));
    String metrics = api.get(null, "/metrics").body();
    assertThat(metrics).contains("sluice_http_requests_seconds_count");
    assertThat(metrics).doesNotContain("tenant-a", "tenant-b", "zzsecretzz", "shared-", "a-only-", "b-only-", "never-existed");
    for (String query : queriesSent) {
      assertThat(metrics).doesNotContain(query);
    }
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** One to three distinct values of {@code pool}. */
  private static List<String> some(SplittableRandom random, List<String> pool) {
    Set<String> values = new java.util.LinkedHashSet<>();
    for (int i = random.nextInt(1, 4); i > 0; i--) {
      values.add(pick(random, pool));
    }
    return List.copyOf(values);
  }
}
