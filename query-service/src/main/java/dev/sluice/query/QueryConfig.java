package dev.sluice.query;

import java.nio.file.Path;
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
 * @param indexDir root directory of the index (read-only here)
 * @param modelName embedding model for queries; must be the index's model
 * @param windowTokens model window
 * @param tokens bearer tokens and who they stand for
 * @param maxBodyBytes largest request body accepted
 */
public record QueryConfig(String host, int port, Path indexDir, String modelName, int windowTokens, AuthTokens tokens, long maxBodyBytes) {
  public static final String HOST = "http.host";
  public static final String PORT = "http.port";
  public static final String INDEX_DIR = "index.dir";
  public static final String MODEL = "embedding.model";
  public static final String WINDOW = "embedding.window.tokens";
  public static final String AUTH_TOKENS = "auth.tokens";
  public static final String MAX_BODY = "http.max.body.bytes";

  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM, "Interface the HTTP API binds to.")
      .define(PORT, Type.INT, 8080, Range.between(0, 65535), Importance.HIGH, "HTTP port of the API.")
      .define(INDEX_DIR, Type.STRING, "./sluice-data/index", Importance.HIGH, "Directory of the Lucene index.")
      .define(MODEL, Type.STRING, "all-minilm-l6-v2", Importance.HIGH, "Embedding model for queries.")
      .define(WINDOW, Type.INT, 256, Range.between(8, 8192), Importance.LOW, "Model window in tokens.")
      .define(AUTH_TOKENS, Type.PASSWORD, null, Importance.HIGH,
          "Bearer tokens: token=tenant or token=tenant|group1|group2, comma-separated (SLUICE_AUTH_TOKENS).")
      .define(MAX_BODY, Type.LONG, 64L * 1024, Range.between(1024, 16L * 1024 * 1024), Importance.LOW,
          "Largest request body, in bytes.");

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
    return new QueryConfig(c.getString(HOST), c.getInt(PORT), Path.of(c.getString(INDEX_DIR)), c.getString(MODEL),
        c.getInt(WINDOW), tokens, c.getLong(MAX_BODY));
  }
}
