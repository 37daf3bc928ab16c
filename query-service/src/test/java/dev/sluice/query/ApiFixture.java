package dev.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.embedding.Embedder;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.index.DocumentStatus;
import dev.sluice.index.IndexPoint;
import dev.sluice.index.PointPayload;
import dev.sluice.index.lucene.IndexLayout;
import dev.sluice.index.lucene.LuceneDocumentRegistry;
import dev.sluice.index.lucene.LuceneVectorIndex;
import dev.sluice.runtime.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real query service over HTTP on a free port, in front of a real Lucene index filled directly with
 * real embeddings of test texts (one chunk per document), and a real document registry.
 */
final class ApiFixture implements AutoCloseable {
  static final String TOKENS = "tok-a=tenant-a,tok-b=tenant-b,tok-staff=tenant-a|staff,tok-legal=tenant-a|legal|finance";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A one-chunk test document. */
  record Doc(String tenant, String docId, String text, String source, String title, String section, String contentType,
      String language, Map<String, String> metadata, List<String> acl, Instant eventTime) {
    static Doc of(String tenant, String docId, String text) {
      return new Doc(tenant, docId, text, "file:///test/" + docId, null, "", null, null, Map.of(), List.of(),
          Instant.parse("2025-01-01T00:00:00Z"));
    }
  }

  final LuceneVectorIndex index;
  final LuceneDocumentRegistry registry;
  final QueryService service;
  private final EmbeddingModel model;
  final String base;

  private ApiFixture(EmbeddingModel model, LuceneVectorIndex index, LuceneDocumentRegistry registry, QueryService service) {
    this.model = model;
    this.index = index;
    this.registry = registry;
    this.service = service;
    this.base = "http://127.0.0.1:" + service.port();
  }

  /** Starts a service on a new index under {@code dir}; {@code settings} override the defaults. */
  static ApiFixture start(EmbeddingModel model, Path dir, Map<String, String> settings) {
    LuceneVectorIndex index = LuceneVectorIndex.openWritable(IndexLayout.points(dir));
    LuceneDocumentRegistry registry = LuceneDocumentRegistry.openWritable(IndexLayout.documents(dir));
    Map<String, String> all = new HashMap<>(Map.of(QueryConfig.PORT, "0", QueryConfig.AUTH_TOKENS, TOKENS,
        QueryConfig.INDEX_DIR, dir.toString()));
    all.putAll(settings);
    QueryService service = QueryService.start(QueryConfig.from(all), model, index, registry, Metrics.newPrometheusRegistry(),
        index, registry);
    return new ApiFixture(model, index, registry, service);
  }

  /** Embeds and indexes the documents, marks them indexed, and waits until search sees them. */
  void add(Doc... docs) {
    List<IndexPoint> points = new ArrayList<>();
    try (Embedder embedder = model.newEmbedder()) {
      List<float[]> vectors = embedder.embedPassages(java.util.Arrays.stream(docs).map(Doc::text).toList());
      for (int i = 0; i < docs.length; i++) {
        Doc d = docs[i];
        String chunkId = UUID.nameUUIDFromBytes((d.tenant() + "/" + d.docId() + "/0").getBytes(StandardCharsets.UTF_8)).toString();
        points.add(new IndexPoint(chunkId, vectors.get(i), new PointPayload(d.tenant(), d.docId(), chunkId, 0, d.text(),
            Integer.toHexString(d.text().hashCode()), 1, d.source(), Optional.ofNullable(d.title()), d.section(),
            Optional.ofNullable(d.contentType()), Optional.ofNullable(d.language()), d.metadata(), d.acl(), model.modelId(),
            d.eventTime(), d.eventTime().plusSeconds(2), false, Optional.empty(), false, List.of())));
        registry.put(new DocumentStatus(d.tenant(), d.docId(), DocumentStatus.State.INDEXED, 1, 1, d.eventTime(),
            d.eventTime().plusMillis(2500), Optional.empty()));
      }
    }
    index.upsert(points);
    index.refresh();
    registry.commit();
  }

  HttpResponse<String> post(String token, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  HttpResponse<String> get(String token, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    return send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  /** POST /v1/search with a JSON body built from {@code body}; the response must be 200. */
  JsonNode search(String token, Map<String, Object> body) {
    HttpResponse<String> response = post(token, "/v1/search", write(body));
    if (response.statusCode() != 200) {
      throw new AssertionError("search " + body + " answered " + response.statusCode() + ": " + response.body());
    }
    return read(response.body());
  }

  /** The docIds of a 200 search, best first. */
  List<String> docIds(String token, Map<String, Object> body) {
    List<String> ids = new ArrayList<>();
    search(token, body).path("results").forEach(hit -> ids.add(hit.path("docId").asText()));
    return ids;
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    service.close();
  }
}
