package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.events.DocumentEvent;
import dev.sluice.schemas.TopicCatalogue;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline end to end, as local mode runs it: a real KRaft broker, real Tika, the real ONNX
 * model, a real Lucene index and the HTTP API. Two tenants publish plain text, HTML and DOCX files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration SEARCHABLE_WITHIN = Duration.ofSeconds(120);

  @TempDir static Path temp;
  private static LocalPipeline pipeline;
  private static Path tenantA;
  private static Path tenantB;

  @BeforeAll
  static void start() throws Exception {
    tenantA = Files.createDirectories(temp.resolve("in-a"));
    tenantB = Files.createDirectories(temp.resolve("in-b"));
    Files.writeString(tenantA.resolve("zorblax.txt"), "Travel notes. The capital of the planet Zorblax is Quentonville, a city famous for its singing crystal gardens and its floating tram lines.");
    Files.writeString(tenantA.resolve("recipe.html"), "<html><head><title>Marmalade</title></head><body><h1>Grandmother's bergamot marmalade</h1><p>Simmer the bergamot peel for three hours with demerara sugar, then add a spoon of smoked cardamom before jarring.</p></body></html>");
    try (XWPFDocument docx = new XWPFDocument(); OutputStream out = Files.newOutputStream(tenantA.resolve("turbine.docx"))) {
      docx.createParagraph().createRun().setText("Turbine maintenance manual");
      docx.createParagraph().createRun().setText("When the turbine coolant pressure drops below 40 kilopascals, open valve seven and page the duty engineer on call.");
      docx.write(out);
    }
    Files.writeString(tenantB.resolve("secret.txt"), "The capital of Zorblax is secretly Marrowgate, according to the rival almanac kept by tenant b.");
    pipeline = LocalPipeline.start(new LocalPipeline.Options(temp.resolve("data"), 0, 0, 3, "all-minilm-l6-v2",
        List.of(temp), Optional.of("tok-a=tenant-a,tok-b=tenant-b"), "lucene", Optional.empty()));
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void publishedDocumentsBecomeSearchableForTheirTenant() throws Exception {
    Instant published = Instant.now();
    publish(tenantA, "tenant-a");
    publish(tenantB, "tenant-b");
    awaitTopDoc("tok-a", "What is the capital of Zorblax?", "zorblax.txt");
    System.out.printf("first document searchable %d ms after publish%n", Duration.between(published, Instant.now()).toMillis());
    awaitTopDoc("tok-a", "bergamot marmalade with cardamom", "recipe.html");
    awaitTopDoc("tok-a", "coolant pressure valve seven", "turbine.docx");
    awaitTopDoc("tok-b", "capital of Zorblax", "secret.txt");

    JsonNode hit = search("tok-a", "bergamot marmalade with cardamom", 1).path("results").get(0);
    assertThat(hit.path("chunkId").asText()).matches("[0-9a-f-]{36}");
    assertThat(hit.path("source").asText()).startsWith("file:").endsWith("recipe.html");
    assertThat(hit.path("docVersion").asLong()).isPositive();
    assertThat(hit.path("text").asText()).contains("bergamot");
  }

  @Test
  @Order(2)
  void tenantsNeverSeeEachOther() throws Exception {
    List<String> seenByB = docIds(search("tok-b", "capital of Zorblax Quentonville crystal gardens marmalade turbine", 50));
    assertThat(seenByB).isNotEmpty().containsOnly("secret.txt");
    List<String> seenByA = docIds(search("tok-a", "Marrowgate rival almanac", 50));
    assertThat(seenByA).doesNotContain("secret.txt");
  }

  @Test
  @Order(3)
  void searchWithoutTokenIsRefused() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.endpoints().http() + "/v1/search"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("unauthorized");
  }

  @Test
  @Order(4)
  void republishingTheSameFilesLeavesThePointCountUnchanged() throws Exception {
    awaitDrained();
    long before = points();
    assertThat(before).isGreaterThanOrEqualTo(4);
    List<String> idsBefore = chunkIds("tok-a", "capital of Zorblax");
    for (Path file : FileEvents.files(tenantA)) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    }
    publish(tenantA, "tenant-a");
    awaitDrained();
    assertThat(points()).isEqualTo(before);
    assertThat(chunkIds("tok-a", "capital of Zorblax")).isEqualTo(idsBefore);
  }

  private static void publish(Path root, String tenant) throws Exception {
    FileEvents events = new FileEvents(tenant, 512 * 1024);
    try (DocumentPublisher publisher = new DocumentPublisher(pipeline.endpoints().bootstrap(), TopicCatalogue.withPrefix(""), DocumentPublisher.Lane.live)) {
      List<Future<?>> sends = new ArrayList<>();
      for (Path file : FileEvents.files(root)) {
        DocumentEvent event = events.upsert(root, file);
        sends.add(publisher.publish(event));
      }
      for (Future<?> send : sends) {
        send.get();
      }
    }
  }

  private static JsonNode search(String token, String query, int topK) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.endpoints().http() + "/v1/search"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query, "topK", topK)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<String> docIds(JsonNode response) {
    List<String> ids = new ArrayList<>();
    response.path("results").forEach(r -> ids.add(r.path("docId").asText()));
    return ids;
  }

  private static List<String> chunkIds(String token, String query) throws Exception {
    List<String> ids = new ArrayList<>();
    search(token, query, 50).path("results").forEach(r -> ids.add(r.path("chunkId").asText()));
    ids.sort(String::compareTo);
    return ids;
  }

  private static void awaitTopDoc(String token, String query, String docId) throws Exception {
    Instant deadline = Instant.now().plus(SEARCHABLE_WITHIN);
    String top = "";
    while (Instant.now().isBefore(deadline)) {
      List<String> ids = docIds(search(token, query, 5));
      top = ids.isEmpty() ? "" : ids.get(0);
      if (top.equals(docId)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("'" + query + "' did not find " + docId + " first within " + SEARCHABLE_WITHIN + " (top: " + top + ")");
  }

  private static void awaitDrained() throws Exception {
    Instant deadline = Instant.now().plus(SEARCHABLE_WITHIN);
    TopicCatalogue topics = TopicCatalogue.withPrefix("");
    while (Instant.now().isBefore(deadline)) {
      if (PipelineLag.measure(pipeline.endpoints().bootstrap(), PipelineLag.stages("", topics)).total() == 0) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("pipeline still has pending records after " + SEARCHABLE_WITHIN);
  }

  /** Points of both tenants: /stats answers for the token's tenant only. */
  private static long points() throws Exception {
    long points = 0;
    for (String token : List.of("tok-a", "tok-b")) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(pipeline.endpoints().http() + "/stats"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      points += JSON.readTree(response.body()).path("points").asLong();
    }
    return points;
  }
}
