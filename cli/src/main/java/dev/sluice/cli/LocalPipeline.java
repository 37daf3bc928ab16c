package dev.sluice.cli;

import dev.sluice.embed.EmbedConfig;
import dev.sluice.embed.EmbedWorker;
import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.index.backend.IndexBackendConfig;
import dev.sluice.index.backend.IndexBackends;
import dev.sluice.index.backend.OpenIndex;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.indexer.IndexWorker;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.ingest.IngestService;
import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.query.QueryConfig;
import dev.sluice.query.QueryService;
import dev.sluice.runtime.Metrics;
import dev.sluice.runtime.SettingsSource;
import dev.sluice.runtime.StreamsSettings;
import dev.sluice.schemas.TopicCatalogue;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM: embedded broker, one shared model, one shared index (Lucene under
 * the data dir, or a Qdrant server), the
 * three stream services and the query API, all configured through the same settings keys the
 * services read when they run alone. Closing stops them in reverse order of start.
 */
final class LocalPipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);

  /**
   * What local mode is told on the command line.
   *
   * @param authTokens bearer tokens ({@code SLUICE_AUTH_TOKENS}); when absent a token for tenant
   *     'default' is generated (or reused) and written to DATA_DIR/token
   * @param index {@code lucene} (under DATA_DIR/index) or {@code qdrant}
   * @param qdrantUrl the Qdrant to use with {@code index=qdrant}
   */
  record Options(Path dataDir, int kafkaPort, int httpPort, int partitions, String model, List<Path> allowedRoots,
      Optional<String> authTokens, String index, Optional<String> qdrantUrl) {}

  private final Deque<AutoCloseable> started;
  private final Endpoints endpoints;
  private final Optional<String> generatedToken;
  private final PrometheusMeterRegistry meters;

  private LocalPipeline(Deque<AutoCloseable> started, Endpoints endpoints, Optional<String> generatedToken, PrometheusMeterRegistry meters) {
    this.started = started;
    this.endpoints = endpoints;
    this.generatedToken = generatedToken;
    this.meters = meters;
  }

  static List<Path> defaultAllowedRoots() {
    return List.of(Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")), Path.of(System.getProperty("java.io.tmpdir")));
  }

  static LocalPipeline start(Options options) {
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      return start(options, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  private static LocalPipeline start(Options options, Deque<AutoCloseable> started) {
    Path data = options.dataDir();
    Map<String, String> overrides = new HashMap<>();
    overrides.put(IndexConfig.INDEX_DIR, data.resolve("index").toString());
    overrides.put(IndexBackendConfig.BACKEND, options.index());
    options.qdrantUrl().ifPresent(url -> overrides.put(IndexBackendConfig.QDRANT_URL, url));
    // The index first: a Qdrant that is not there stops local mode before anything else starts.
    IndexBackendConfig backend = IndexBackendConfig.from(SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides));
    OpenIndex opened = IndexBackends.openForWriting(backend);
    started.push(opened);
    log.info("local pipeline indexes into {}", opened.description());

    TopicCatalogue topics = TopicCatalogue.withPrefix("");
    EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafkaConfig(data.resolve("kafka"), options.kafkaPort(), topics.allNames(), options.partitions()));
    started.push(kafka);

    Optional<String> generatedToken = Optional.empty();
    String tokens = options.authTokens().filter(t -> !t.isBlank()).orElse(null);
    if (tokens == null) {
      String token = localToken(data);
      generatedToken = Optional.of(token);
      tokens = token + "=default";
    }
    overrides.put(StreamsSettings.BOOTSTRAP, kafka.bootstrapServers());
    overrides.put(StreamsSettings.STATE_DIR, data.resolve("streams").toString());
    overrides.put(IngestConfig.ALLOWED_ROOTS, options.allowedRoots().stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(",")));
    overrides.put(QueryConfig.PORT, Integer.toString(options.httpPort()));
    overrides.put(QueryConfig.HOST, "127.0.0.1");
    overrides.put(QueryConfig.AUTH_TOKENS, tokens);
    overrides.put(EmbedConfig.MODEL, options.model());
    Map<String, String> settings = SettingsSource.load(SettingsSource.configFileFromEnvironment(), overrides);

    PrometheusMeterRegistry meters = Metrics.newPrometheusRegistry();
    EmbedConfig embedConfig = EmbedConfig.from(settings);
    IngestConfig ingestConfig = IngestConfig.from(settings);
    IndexConfig indexConfig = IndexConfig.from(settings);
    QueryConfig queryConfig = QueryConfig.from(settings);

    EmbeddingModel model = ModelCatalogue.load(embedConfig.modelName(), embedConfig.windowTokens());
    started.push(model);
    started.push(IndexWorker.start(indexConfig, opened.index(), opened.registry(), meters));
    started.push(EmbedWorker.start(embedConfig, model, meters));
    started.push(IngestService.start(ingestConfig, model, meters));
    QueryService query = QueryService.start(queryConfig, model, opened.index(), opened.registry(), meters);
    started.push(query);

    Endpoints endpoints = new Endpoints(kafka.bootstrapServers(), "http://127.0.0.1:" + query.port());
    endpoints.write(data);
    log.info("local pipeline up: {}", endpoints);
    return new LocalPipeline(started, endpoints, generatedToken, meters);
  }

  /** The token of tenant 'default': reused from DIR/token on restart, generated on first start. */
  private static String localToken(Path data) {
    Path file = data.resolve("token");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String token = "sl_" + HexFormat.of().formatHex(random);
      Files.writeString(file, token + "\n");
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  Endpoints endpoints() {
    return endpoints;
  }

  Optional<String> generatedToken() {
    return generatedToken;
  }

  PrometheusMeterRegistry meters() {
    return meters;
  }

  @Override
  public synchronized void close() {
    closeAll(started);
  }

  private static void closeAll(Deque<AutoCloseable> started) {
    while (!started.isEmpty()) {
      AutoCloseable next = started.pop();
      try {
        next.close();
      } catch (Exception e) {
        log.warn("closing {} failed", next.getClass().getSimpleName(), e);
      }
    }
  }
}
