package dev.sluice.ingest;

import static dev.sluice.ingest.IngestDriver.byReference;
import static dev.sluice.ingest.IngestDriver.chunksOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.events.DeadLetter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content by reference: file: under allowed roots, http(s): from allow-listed hosts, through the topology. */
class ContentReferenceTest {
  private static final String TEXT = "Content travelling by reference, read from a place the operator allowed.";
  private static EmbeddingModel model;
  @TempDir Path temp;
  private Path allowed;
  private HttpServer server;
  private String base;
  private IngestDriver ingest;

  @BeforeAll
  static void loadModel() {
    model = ModelCatalogue.loadDefault();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @BeforeEach
  void start() throws IOException {
    allowed = Files.createDirectories(temp.resolve("allowed"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/doc.txt", exchange -> respond(exchange, 200, TEXT.getBytes(StandardCharsets.UTF_8)));
    server.createContext("/big.txt", exchange -> respond(exchange, 200, new byte[4096]));
    server.createContext("/gone.txt", exchange -> respond(exchange, 404, new byte[0]));
    server.createContext("/streamed.txt", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 64; i++) {
          out.write(new byte[1024]);
        }
      } catch (IOException e) {
        // The fetcher hung up once it had read enough: that is the point.
      }
    });
    server.createContext("/slow.txt", exchange -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(exchange, 200, TEXT.getBytes(StandardCharsets.UTF_8));
    });
    server.createContext("/moved.txt", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/doc.txt");
      respond(exchange, 302, new byte[0]);
    });
    server.createContext("/hop.txt", exchange -> {
      exchange.getResponseHeaders().add("Location", "/doc.txt");
      respond(exchange, 301, new byte[0]);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    ingest = driver(Map.of());
  }

  private IngestDriver driver(Map<String, String> extra) {
    var settings = new java.util.HashMap<>(Map.of(IngestConfig.ALLOWED_ROOTS, allowed.toString(), IngestConfig.PARSE_ISOLATION, "thread",
        IngestConfig.HTTP_ALLOWED_HOSTS, "127.0.0.1", IngestConfig.MAX_BYTES, "2048", IngestConfig.HTTP_TIMEOUT, "1000"));
    settings.putAll(extra);
    return new IngestDriver(model.tokenizer(), temp.resolve("state-" + System.nanoTime()), settings);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterEach
  void stop() {
    ingest.close();
    server.stop(0);
  }

  private String reasonFor(String reference) {
    ingest.send(byReference("doc-" + System.nanoTime(), 1, reference).build());
    List<DeadLetter> letters = ingest.dlq.readValuesToList();
    assertThat(ingest.chunks.isEmpty()).as("nothing emitted for " + reference).isTrue();
    assertThat(letters).as("one dead letter for " + reference).hasSize(1);
    assertThat(letters.get(0).getStage()).isEqualTo("ingest");
    assertThat(letters.get(0).getMessage()).isNotBlank();
    return letters.get(0).getReason();
  }

  @Test
  void fileUnderAnAllowedRootIsRead() throws IOException {
    Path file = Files.writeString(Files.createDirectories(allowed.resolve("team")).resolve("notes.txt"), TEXT);
    ingest.send(byReference("notes.txt", 1, file.toUri().toString()).build());
    assertThat(chunksOf(ingest.drainChunks())).singleElement().satisfies(c -> assertThat(c.getText()).isEqualTo(TEXT));
  }

  @Test
  void pathEscapesAreRejectedUnread() throws IOException {
    Files.writeString(temp.resolve("secret.txt"), "not for you");
    assertThat(reasonFor(allowed.toUri() + "../secret.txt")).isEqualTo("reference-not-allowed");
    assertThat(reasonFor(allowed.toUri() + "team/../../secret.txt")).isEqualTo("reference-not-allowed");
    assertThat(reasonFor("file:///etc/passwd")).isEqualTo("reference-not-allowed");
    assertThat(reasonFor(temp.resolve("does-not-exist.txt").toUri().toString())).as("outside, even if absent").isEqualTo("reference-not-allowed");
  }

  @Test
  void symlinkPointingOutsideIsRejected() throws IOException {
    Path secret = Files.writeString(temp.resolve("secret.txt"), "not for you");
    Path link = Files.createSymbolicLink(allowed.resolve("innocent.txt"), secret);
    Path dirLink = Files.createSymbolicLink(allowed.resolve("elsewhere"), temp);
    assertThat(reasonFor(link.toUri().toString())).isEqualTo("reference-not-allowed");
    assertThat(reasonFor(dirLink.toUri() + "/secret.txt")).isEqualTo("reference-not-allowed");
  }

  @Test
  void symlinkStayingInsideIsRead() throws IOException {
    Path real = Files.writeString(allowed.resolve("real.txt"), TEXT);
    Path link = Files.createSymbolicLink(allowed.resolve("alias.txt"), real);
    ingest.send(byReference("alias.txt", 1, link.toUri().toString()).build());
    assertThat(chunksOf(ingest.drainChunks())).hasSize(1);
  }

  @Test
  void missingOversizedAndOddReferencesGetTheirReasons() throws IOException {
    Files.createDirectories(allowed.resolve("folder"));
    Files.write(allowed.resolve("huge.bin"), new byte[4096]);
    assertThat(reasonFor(allowed.resolve("absent.txt").toUri().toString())).isEqualTo("reference-not-found");
    assertThat(reasonFor(allowed.resolve("folder").toUri().toString())).isEqualTo("reference-not-found");
    assertThat(reasonFor(allowed.resolve("huge.bin").toUri().toString())).isEqualTo("too-large");
    assertThat(reasonFor("ftp://example.com/doc.txt")).isEqualTo("reference-not-allowed");
    assertThat(reasonFor("not a uri at all")).isEqualTo("bad-reference");
  }

  @Test
  void httpFromAnAllowedHostIsFetched() {
    ingest.send(byReference("web.txt", 1, base + "/doc.txt").build());
    assertThat(chunksOf(ingest.drainChunks())).singleElement().satisfies(c -> assertThat(c.getText()).isEqualTo(TEXT));
    ingest.send(byReference("hop.txt", 1, base + "/hop.txt").build());
    assertThat(chunksOf(ingest.drainChunks())).as("a redirect within the allowed host").hasSize(1);
  }

  @Test
  void httpFailuresGetTheirReasons() {
    int port = server.getAddress().getPort();
    assertThat(reasonFor("http://localhost:" + port + "/doc.txt")).as("host not listed").isEqualTo("reference-not-allowed");
    assertThat(reasonFor(base + "/moved.txt")).as("redirect to a host not listed").isEqualTo("reference-not-allowed");
    assertThat(reasonFor(base + "/gone.txt")).isEqualTo("reference-not-found");
    assertThat(reasonFor(base + "/big.txt")).as("declared too large").isEqualTo("too-large");
    assertThat(reasonFor(base + "/streamed.txt")).as("streamed past the cap").isEqualTo("too-large");
    long start = System.nanoTime();
    assertThat(reasonFor(base + "/slow.txt")).isEqualTo("content-unreadable");
    assertThat((System.nanoTime() - start) / 1_000_000).as("gave up at the timeout").isLessThan(2_500);
  }

  @Test
  void httpIsOffUnlessHostsAreListed() {
    ingest.close();
    ingest = driver(Map.of(IngestConfig.HTTP_ALLOWED_HOSTS, ""));
    assertThat(reasonFor(base + "/doc.txt")).isEqualTo("reference-not-allowed");
  }
}
