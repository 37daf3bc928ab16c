package dev.sluice.runtime;

import dev.sluice.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka side of one stream service: which cluster, which topics, where its state lives and what
 * processing guarantee it runs with.
 *
 * @param applicationId Kafka Streams application id (consumer group), one per service
 * @param bootstrapServers the Kafka cluster
 * @param topics the topic catalogue (names carry the configured prefix)
 * @param stateDir where RocksDB state and checkpoints live
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamThreads stream threads of this instance
 * @param commitIntervalMs how often offsets (and the index) are committed
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    TopicCatalogue topics,
    Path stateDir,
    String processingGuarantee,
    int streamThreads,
    long commitIntervalMs) {

  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String TOPIC_PREFIX = "topics.prefix";
  public static final String STATE_DIR = "streams.state.dir";
  public static final String GUARANTEE = "streams.processing.guarantee";
  public static final String THREADS = "streams.threads";
  public static final String COMMIT_INTERVAL = "streams.commit.interval.ms";

  /** Adds the Kafka settings every stream service shares to a service's {@link ConfigDef}. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(BOOTSTRAP, Type.STRING, "127.0.0.1:9092", new ConfigDef.NonEmptyString(), Importance.HIGH,
            "Kafka bootstrap servers, host:port[,host:port].")
        .define(TOPIC_PREFIX, Type.STRING, "", Importance.MEDIUM, "Prefix of every topic name.")
        .define(STATE_DIR, Type.STRING, System.getProperty("java.io.tmpdir") + "/sluice-streams",
            Importance.MEDIUM, "Directory of the Kafka Streams state stores.")
        .define(GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
            ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
            Importance.MEDIUM, "Kafka Streams processing guarantee.")
        .define(THREADS, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.MEDIUM,
            "Stream threads per service instance.")
        .define(COMMIT_INTERVAL, Type.LONG, 500L, ConfigDef.Range.between(10, 600_000), Importance.LOW,
            "Commit interval: bounds what is reprocessed after a crash and how soon lag reads 0.");
  }

  /** Reads the shared settings from a parsed config, for the service named {@code applicationId}. */
  public static StreamsSettings from(AbstractConfig config, String applicationId) {
    String prefix = config.getString(TOPIC_PREFIX);
    TopicCatalogue topics;
    try {
      topics = TopicCatalogue.withPrefix(prefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TOPIC_PREFIX, prefix, e.getMessage());
    }
    return new StreamsSettings(
        prefix + applicationId,
        config.getString(BOOTSTRAP),
        topics,
        Path.of(config.getString(STATE_DIR)),
        config.getString(GUARANTEE),
        config.getInt(THREADS),
        config.getLong(COMMIT_INTERVAL));
  }

  /** Kafka Streams properties; the only place these settings become {@link Properties}. */
  public Properties toStreamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // Chunks and vectors stay well under 1 MB; a larger message means a bug upstream, not a need.
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    return p;
  }

  /** Same settings, another application id (for tests and tools). */
  public StreamsSettings withApplicationId(String id) {
    return new StreamsSettings(id, bootstrapServers, topics, stateDir, processingGuarantee, streamThreads, commitIntervalMs);
  }
}
