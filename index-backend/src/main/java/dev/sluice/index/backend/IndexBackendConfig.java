package dev.sluice.index.backend;

import dev.sluice.index.CollectionSpec;
import dev.sluice.runtime.DurationSetting;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Which vector index a service uses, and how to reach it: the settings the index-worker, the
 * query-service and the CLI share. Lucene (the embedded default) lives in {@code index.dir} on
 * local disk; Qdrant is reached at {@code qdrant.url} and shared by any number of processes.
 *
 * @param backend which adapter
 * @param indexDir root of the Lucene index (unused with Qdrant)
 * @param qdrant how to reach Qdrant; present exactly when {@code backend} is {@link Backend#QDRANT}
 */
public record IndexBackendConfig(Backend backend, Path indexDir, Optional<Qdrant> qdrant) {

  /** The adapters a service can run on. */
  public enum Backend {
    /** Lucene HNSW + BM25 on local disk: one writing process, readers on the same host. */
    LUCENE,
    /** A Qdrant server or cluster: any number of writers and readers, on any hosts. */
    QDRANT
  }

  /**
   * How to reach Qdrant and shape the collections Sluice creates there.
   *
   * @param url gRPC endpoint, {@code http://host:6334}, or {@code https://...} for TLS
   * @param apiKey sent with every request when present
   * @param collection the collection or alias the services read and write; the document registry
   *     lives beside it in {@code <collection>-documents}
   * @param timeout deadline of one request
   * @param startupTimeout how long a service waits for Qdrant to answer at start-up before it stops
   * @param shards shard number of collections Sluice creates
   * @param replicationFactor replication factor of collections Sluice creates
   */
  public record Qdrant(URI url, Optional<String> apiKey, String collection, Duration timeout, Duration startupTimeout,
      int shards, int replicationFactor) {

    /** Masks the key: this record is logged. */
    @Override
    public String toString() {
      return "Qdrant[url=" + url + ", apiKey=" + apiKey.map(k -> "(set)").orElse("(none)") + ", collection=" + collection
          + ", timeout=" + timeout + ", startupTimeout=" + startupTimeout + ", shards=" + shards
          + ", replicationFactor=" + replicationFactor + "]";
    }
  }

  public static final String BACKEND = "index.backend";
  public static final String INDEX_DIR = "index.dir";
  public static final String QDRANT_URL = "qdrant.url";
  public static final String QDRANT_API_KEY = "qdrant.api-key";
  public static final String QDRANT_COLLECTION = "qdrant.collection";
  public static final String QDRANT_TIMEOUT = "qdrant.timeout";
  public static final String QDRANT_STARTUP_TIMEOUT = "qdrant.startup.timeout";
  public static final String QDRANT_SHARDS = "qdrant.shards";
  public static final String QDRANT_REPLICATION = "qdrant.replication.factor";

  // SLUICE_QDRANT_API_KEY arrives as qdrant.api.key: environment names cannot hold the '-'.
  private static final String QDRANT_API_KEY_FROM_ENV = "qdrant.api.key";

  private static final DurationSetting DURATION = new DurationSetting();

  /** Adds the backend settings to a service's definition. */
  public static ConfigDef define(ConfigDef def) {
    return def
        .define(BACKEND, Type.STRING, "lucene", ConfigDef.CaseInsensitiveValidString.in("lucene", "qdrant"),
            Importance.HIGH, "Vector index: lucene (embedded, on local disk) or qdrant (a Qdrant server at qdrant.url).")
        .define(INDEX_DIR, Type.STRING, "./sluice-data/index", new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Directory of the Lucene index (index.backend=lucene).")
        .define(QDRANT_URL, Type.STRING, "http://localhost:6334", new UrlValidator(), Importance.HIGH,
            "Qdrant's gRPC endpoint: http://host:6334, or https://host:port for TLS (index.backend=qdrant).")
        .define(QDRANT_API_KEY, Type.PASSWORD, null, Importance.MEDIUM,
            "Qdrant API key (SLUICE_QDRANT_API_KEY); use it with an https:// url.")
        .define(QDRANT_COLLECTION, Type.STRING, "sluice", new CollectionName(), Importance.MEDIUM,
            "Qdrant collection or alias the services read and write; document status lives in <name>-documents.")
        .define(QDRANT_TIMEOUT, Type.STRING, "10s", DURATION, Importance.LOW, "Deadline of one Qdrant request.")
        .define(QDRANT_STARTUP_TIMEOUT, Type.STRING, "8s", DURATION, Importance.LOW,
            "How long a service waits for Qdrant to answer at start-up before it stops, naming the url.")
        .define(QDRANT_SHARDS, Type.INT, 1, Range.between(1, 1024), Importance.LOW,
            "Shard number of the collections Sluice creates in Qdrant.")
        .define(QDRANT_REPLICATION, Type.INT, 1, Range.between(1, 64), Importance.LOW,
            "Replication factor of the collections Sluice creates in Qdrant.");
  }

  /** Reads the settings {@link #define} added, from a service's parsed config. */
  public static IndexBackendConfig from(AbstractConfig c) {
    Backend backend = Backend.valueOf(c.getString(BACKEND).toUpperCase(Locale.ROOT));
    Path indexDir = Path.of(c.getString(INDEX_DIR));
    if (backend == Backend.LUCENE) {
      return new IndexBackendConfig(backend, indexDir, Optional.empty());
    }
    Optional<String> apiKey = Optional.ofNullable(c.getPassword(QDRANT_API_KEY)).map(Password::value)
        .or(() -> Optional.ofNullable(c.originalsStrings().get(QDRANT_API_KEY_FROM_ENV)))
        .filter(key -> !key.isBlank());
    Duration startup = DurationSetting.parse(c.getString(QDRANT_STARTUP_TIMEOUT));
    return new IndexBackendConfig(backend, indexDir, Optional.of(new Qdrant(UrlValidator.parse(c.getString(QDRANT_URL)),
        apiKey, c.getString(QDRANT_COLLECTION), DurationSetting.parse(c.getString(QDRANT_TIMEOUT)), startup,
        c.getInt(QDRANT_SHARDS), c.getInt(QDRANT_REPLICATION))));
  }

  /** As {@link #from(AbstractConfig)}, from raw settings (the CLI's tools). */
  public static IndexBackendConfig from(Map<String, String> settings) {
    return from(new AbstractConfig(define(new ConfigDef()), settings, false));
  }

  /** One line for start-up logs: which backend and where. */
  public String describe() {
    return switch (backend) {
      case LUCENE -> "lucene at " + indexDir.toAbsolutePath();
      case QDRANT -> "qdrant at " + qdrant.orElseThrow().url() + " (collection " + qdrant.orElseThrow().collection() + ")";
    };
  }

  /** Accepts http(s)://host[:port] and nothing else, so a typo fails at start-up naming the key. */
  static final class UrlValidator implements ConfigDef.Validator {
    static URI parse(String value) {
      try {
        URI url = new URI(value.strip());
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
            || url.getHost() == null) {
          throw new IllegalArgumentException("write it as http://host:6334 (or https://host:port for TLS)");
        }
        return url;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
      }
    }

    @Override
    public void ensureValid(String name, Object value) {
      try {
        parse(String.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "http://host:port or https://host:port";
    }
  }

  private static final class CollectionName implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        CollectionSpec.requireValidName(String.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "lowercase letters, digits, '.', '_' or '-', at most 64 characters";
    }
  }
}
