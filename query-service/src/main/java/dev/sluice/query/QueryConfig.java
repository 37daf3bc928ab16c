package dev.sluice.query;

import dev.sluice.index.backend.IndexBackendConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Typed, validated configuration of the query service.
 *
 * @param host interface to bind (127.0.0.1 by default)
 * @param port HTTP port
 * @param backend the index and document registry to read: a Lucene directory an index-worker on
 *     this host writes, or the Qdrant the index-workers write
 * @param modelName embedding model for queries; must be the index's model
 * @param windowTokens model window
 * @param tokens bearer tokens and who they stand for
 * @param maxBodyBytes largest request body accepted
 * @param limits rate and concurrency limits of the {@code /v1} routes
 */
public record QueryConfig(String host, int port, IndexBackendConfig backend, String modelName, int windowTokens, AuthTokens tokens, long maxBodyBytes,
    Limits limits) {

  /**
   * How much one API serves before it refuses with 429.
   *
   * @param requestsPerSecond sustained requests per second allowed to one token
   * @param burst requests one token may send at once before the sustained rate applies
   * @param maxConcurrentSearches searches running at once, all tokens together
   * @param maxQueueMillis how long a search may wait for a free slot before it is refused
   * @param maxTopK largest {@code topK} a search may ask for
   */
  public record Limits(int requestsPerSecond, int burst, int maxConcurrentSearches, long maxQueueMillis, int maxTopK) {}

  public static final String HOST = "http.host";
  public static final String PORT = "http.port";
  public static final String INDEX_DIR = IndexBackendConfig.INDEX_DIR;
  public static final String MODEL = "embedding.model";
  public static final String WINDOW = "embedding.window.tokens";
  public static final String AUTH_TOKENS = "auth.tokens";
  public static final String MAX_BODY = "http.max.body.bytes";
  public static final String RATE = "search.rate.limit.per.second";
  public static final String BURST = "search.rate.limit.burst";
  public static final String MAX_CONCURRENT = "search.max.concurrent";
  public static final String MAX_QUEUE_MS = "search.max.queue.ms";
  public static final String MAX_TOP_K = "search.max.top.k";

  public static final ConfigDef DEFINITION = IndexBackendConfig.define(new ConfigDef())
      .define(HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Interface the HTTP API binds to.")
      .define(PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH, "HTTP port of the API.")
      .define(MODEL, Type.STRING, "all-minilm-l6-v2", Importance.HIGH, "Embedding model for queries.")
      .define(WINDOW, Type.INT, 256, Range.between(8, 8192), Importance.LOW, "Model window in tokens.")
      .define(AUTH_TOKENS, Type.PASSWORD, null, Importance.HIGH,
          "Bearer tokens: token=tenant or token=tenant|group1|group2, comma-separated (SLUICE_AUTH_TOKENS).")
      .define(MAX_BODY, Type.LONG, 64L * 1024, Range.between(1024, 16L * 1024 * 1024), Importance.LOW,
          "Largest request body, in bytes.")
      .define(RATE, Type.INT, 100, Range.between(1, 1_000_000), Importance.MEDIUM,
          "Sustained requests per second per bearer token on /v1 routes; more are refused with 429.")
      .define(BURST, Type.INT, 200, Range.between(1, 1_000_000), Importance.LOW,
          "Requests a token may send at once before the sustained rate applies.")
      .define(MAX_CONCURRENT, Type.INT, 16, Range.between(1, 10_000), Importance.MEDIUM,
          "Searches running at once, all tokens together; more wait up to search.max.queue.ms, then get 429.")
      .define(MAX_QUEUE_MS, Type.LONG, 2000L, Range.between(0, 60_000), Importance.LOW,
          "How long a search waits for a free slot before it is refused with 429.")
      .define(MAX_TOP_K, Type.INT, 50, Range.between(1, 1000), Importance.LOW,
          "Largest topK a search may ask for (the API contract is 50; evaluation runs raise it for Recall@100).");

  public static QueryConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    var password = c.getPassword(AUTH_TOKENS);
    if (password == null || password.value().isBlank()) {
      throw new ConfigException(AUTH_TOKENS, "", "no tokens configured: set SLUICE_AUTH_TOKENS, e.g. 's3cret=acme|staff'");
    }
    AuthTokens tokens;
    try {
      tokens = AuthTokens.parse(password.value());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(AUTH_TOKENS, "(hidden)", e.getMessage());
    }
    return new QueryConfig(c.getString(HOST), c.getInt(PORT), IndexBackendConfig.from(c), c.getString(MODEL),
        c.getInt(WINDOW), tokens, c.getLong(MAX_BODY),
        new Limits(c.getInt(RATE), c.getInt(BURST), c.getInt(MAX_CONCURRENT), c.getLong(MAX_QUEUE_MS), c.getInt(MAX_TOP_K)));
  }
}
