package dev.sluice.runtime;

import dev.sluice.runtime.failure.AttemptCounter;
import dev.sluice.runtime.failure.DeadLetterDeserializationHandler;
import dev.sluice.runtime.failure.DeadLetterProcessingHandler;
import dev.sluice.runtime.failure.DeadLetterProductionHandler;
import dev.sluice.runtime.failure.DeadLetterSink;
import dev.sluice.runtime.failure.FailureClassifier;
import dev.sluice.runtime.failure.FailurePolicy;
import dev.sluice.runtime.failure.FailureSettings;
import dev.sluice.runtime.failure.KafkaDeadLetterSink;
import dev.sluice.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka side of one stream service: which cluster, which topics, where its state lives, what
 * processing guarantee it runs with, and how it treats failures (see {@link
 * dev.sluice.runtime.failure}).
 *
 * @param applicationId Kafka Streams application id (consumer group), one per service
 * @param bootstrapServers the Kafka cluster
 * @param topics the topic catalogue (names carry the configured prefix)
 * @param stateDir where RocksDB state and checkpoints live
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param streamThreads stream threads of this instance
 * @param commitIntervalMs how often offsets (and the index) are committed
 * @param transactionTimeoutMs longest an exactly-once transaction may stay open (see {@link #TRANSACTION_TIMEOUT})
 * @param stage the service's stage as its dead letters name it ({@code ingest}, {@code embed}, {@code index})
 * @param failures dead-lettering, retry and backoff policy
 */
public record StreamsSettings(
    String applicationId,
    String bootstrapServers,
    TopicCatalogue topics,
    Path stateDir,
    String processingGuarantee,
    int streamThreads,
    long commitIntervalMs,
    long transactionTimeoutMs,
    String stage,
    FailureSettings failures) {

  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String TOPIC_PREFIX = "topics.prefix";
  public static final String STATE_DIR = "streams.state.dir";
  public static final String GUARANTEE = "streams.processing.guarantee";
  public static final String THREADS = "streams.threads";
  public static final String COMMIT_INTERVAL = "streams.commit.interval.ms";
  public static final String TRANSACTION_TIMEOUT = "streams.transaction.timeout.ms";
  public static final String MAX_RECORD_ATTEMPTS = "streams.max.record.attempts";
  public static final String THREAD_BACKOFF = "streams.thread.replace.backoff.ms";
  public static final String THREAD_BACKOFF_MAX = "streams.thread.replace.backoff.max.ms";
  public static final String MAX_THREAD_FAILURES = "streams.thread.max.failures";
  public static final String DLQ_TIMEOUT = "streams.dlq.timeout.ms";
  public static final String INFRASTRUCTURE_EXCEPTIONS = "streams.infrastructure.exceptions";

  /**
   * Longest an exactly-once transaction stays open by default. Kafka Streams' own default (10 s) is
   * shorter than what one pass of a stream thread may legitimately take between two commits here: a
   * parse may take {@code ingest.parse.timeout.ms} (60 s), and the embed-worker's model calls for
   * the batches of its tasks ran past 10 s on the shared 2-core machine, where the broker then
   * aborted the transaction, fenced the producer and the group took 48 s to rebalance (measured in
   * {@code sluice bench pipeline}, on Tika's PDF test documents and on SciFact text files alike).
   * The price of a longer timeout: after a crash, consumers of committed records wait up to this
   * long for the dead instance's open transaction, unless it restarts on the same state dir (whose
   * process id fences its old producer at once).
   */
  public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 120_000L;

  /** Application ids are {@code sluice-<stage>}; the stage is what remains without this. */
  private static final String APPLICATION_PREFIX = "sluice-";

  public StreamsSettings {
    if (stage == null || stage.isBlank()) {
      throw new IllegalArgumentException("stage must not be blank");
    }
  }

  /**
   * The settings without an explicit stage or failure policy: the stage is derived from the
   * application id ({@link #stageOf}) and the failure policy has its defaults.
   */
  public StreamsSettings(String applicationId, String bootstrapServers, TopicCatalogue topics, Path stateDir,
      String processingGuarantee, int streamThreads, long commitIntervalMs) {
    this(applicationId, bootstrapServers, topics, stateDir, processingGuarantee, streamThreads, commitIntervalMs,
        DEFAULT_TRANSACTION_TIMEOUT_MS, stageOf(applicationId), FailureSettings.DEFAULTS);
  }

  /** Adds the Kafka settings every stream service shares to a service's {@link ConfigDef}. */
  public static ConfigDef define(ConfigDef def) {
    FailureSettings defaults = FailureSettings.DEFAULTS;
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
            "Commit interval: bounds what is reprocessed after a crash and how soon lag reads 0.")
        .define(TRANSACTION_TIMEOUT, Type.LONG, DEFAULT_TRANSACTION_TIMEOUT_MS, ConfigDef.Range.between(1_000, 900_000),
            Importance.LOW,
            "Exactly-once only: longest a transaction may stay open before the broker aborts it and fences the service's "
                + "producer (a rebalance follows). Must exceed the longest work between two commits (a parse, the model calls "
                + "of a pass over a thread's tasks) and the commit interval; after a crash, readers of committed records wait "
                + "up to this long for an instance that does not restart on the same state dir. At most the broker's "
                + "transaction.max.timeout.ms (15 min).")
        .define(MAX_RECORD_ATTEMPTS, Type.INT, defaults.maxRecordAttempts(), ConfigDef.Range.between(1, 1000),
            Importance.MEDIUM,
            "Times one record may fail with the same infrastructure exception at the same offset (its task failing and "
                + "replaying it after a backoff) before it is dead-lettered with that count and skipped. Counted in "
                + "memory: a restarted process counts again from zero.")
        .define(THREAD_BACKOFF, Type.LONG, defaults.threadBackoff().toMillis(), ConfigDef.Range.between(0, 300_000),
            Importance.LOW, "Wait before a failed stream thread is replaced; doubles with each failure in a row.")
        .define(THREAD_BACKOFF_MAX, Type.LONG, defaults.threadBackoffMax().toMillis(),
            ConfigDef.Range.between(0, 300_000), Importance.LOW,
            "Longest wait before a failed stream thread is replaced. At most the consumer's max.poll.interval.ms "
                + "(5 min), which the waiting thread's group membership must outlast.")
        .define(MAX_THREAD_FAILURES, Type.INT, defaults.maxThreadFailures(), ConfigDef.Range.between(1, 1000),
            Importance.LOW,
            "Stream-thread failures in a row that are neither infrastructure failures nor fatal (a bug outside record "
                + "handling, e.g. in a commit hook) after which the service stops instead of replaying forever.")
        .define(DLQ_TIMEOUT, Type.LONG, defaults.deadLetterTimeout().toMillis(), ConfigDef.Range.between(100, 300_000),
            Importance.LOW,
            "Longest wait for the dead-letter topic to acknowledge a dead letter; beyond it the record is not skipped "
                + "but retried, as an infrastructure failure.")
        .define(INFRASTRUCTURE_EXCEPTIONS, Type.LIST, List.of(), new ClassNames(), Importance.LOW,
            "Further exception classes (fully qualified names, matched against every exception of a failure's cause "
                + "chain, their superclasses and interfaces) that mean a dependency is unavailable rather than a bad record.");
  }

  /** Reads the shared settings from a parsed config, for the service named {@code applicationId}. */
  public static StreamsSettings from(AbstractConfig config, String applicationId) {
    return from(config, applicationId, stageOf(applicationId));
  }

  /** As {@link #from(AbstractConfig, String)}, with the stage its dead letters name. */
  public static StreamsSettings from(AbstractConfig config, String applicationId, String stage) {
    String prefix = config.getString(TOPIC_PREFIX);
    TopicCatalogue topics;
    try {
      topics = TopicCatalogue.withPrefix(prefix);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(TOPIC_PREFIX, prefix, e.getMessage());
    }
    FailureSettings failures = new FailureSettings(
        config.getInt(MAX_RECORD_ATTEMPTS),
        Duration.ofMillis(config.getLong(THREAD_BACKOFF)),
        Duration.ofMillis(config.getLong(THREAD_BACKOFF_MAX)),
        config.getInt(MAX_THREAD_FAILURES),
        Duration.ofMillis(config.getLong(DLQ_TIMEOUT)),
        config.getList(INFRASTRUCTURE_EXCEPTIONS));
    long commitInterval = config.getLong(COMMIT_INTERVAL);
    long transactionTimeout = config.getLong(TRANSACTION_TIMEOUT);
    if (transactionTimeout < commitInterval) {
      throw new ConfigException(TRANSACTION_TIMEOUT, transactionTimeout,
          "must be at least " + COMMIT_INTERVAL + " (" + commitInterval + "): every transaction would time out");
    }
    return new StreamsSettings(
        prefix + applicationId,
        config.getString(BOOTSTRAP),
        topics,
        Path.of(config.getString(STATE_DIR)),
        config.getString(GUARANTEE),
        config.getInt(THREADS),
        commitInterval,
        transactionTimeout,
        stage,
        failures);
  }

  /** The stage of an application id: {@code sluice-index} → {@code index}; any other id is its own stage. */
  public static String stageOf(String applicationId) {
    return applicationId.startsWith(APPLICATION_PREFIX) && applicationId.length() > APPLICATION_PREFIX.length()
        ? applicationId.substring(APPLICATION_PREFIX.length())
        : applicationId;
  }

  /**
   * Kafka Streams properties, with the exception handlers dead-lettering to the dlq topic through a
   * Kafka producer of their own (created on the first dead letter).
   */
  public Properties toStreamsProperties() {
    return toStreamsProperties(failurePolicy(deadLetterSink()));
  }

  /**
   * Kafka Streams properties, with the exception handlers following {@code policy}: the only place
   * these settings become {@link Properties}. Clients given the same policy share its attempt counts.
   */
  public Properties toStreamsProperties(FailurePolicy policy) {
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
    if (StreamsConfig.EXACTLY_ONCE_V2.equals(processingGuarantee)) {
      p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), Math.toIntExact(transactionTimeoutMs));
    }
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    p.put(FailurePolicy.CONFIG, policy);
    return p;
  }

  /** A failure policy for one client of this service, dead-lettering to {@code sink}. */
  public FailurePolicy failurePolicy(DeadLetterSink sink) {
    return new FailurePolicy(stage, topics.dlq().name(), failures.maxRecordAttempts(),
        FailureClassifier.withInfrastructure(failures.infrastructureExceptions()), sink, new AttemptCounter(),
        Clock.systemUTC());
  }

  /** A sink writing to this service's dlq topic with a producer of its own; the caller closes it. */
  public DeadLetterSink deadLetterSink() {
    return KafkaDeadLetterSink.create(bootstrapServers, applicationId + "-dead-letters", topics.dlq(),
        failures.deadLetterTimeout());
  }

  /** Same settings, another application id (for tests and tools). */
  public StreamsSettings withApplicationId(String id) {
    return new StreamsSettings(id, bootstrapServers, topics, stateDir, processingGuarantee, streamThreads, commitIntervalMs,
        transactionTimeoutMs, stage, failures);
  }

  /**
   * Same settings, with these exception types counted as infrastructure failures (retried, not
   * dead-lettered at once): for exceptions of modules that cannot implement {@link
   * dev.sluice.runtime.failure.InfrastructureFailure}, such as the index's.
   */
  @SafeVarargs
  public final StreamsSettings withInfrastructure(Class<? extends Throwable>... types) {
    List<String> names = new ArrayList<>();
    for (Class<? extends Throwable> type : types) {
      names.add(type.getName());
    }
    return new StreamsSettings(applicationId, bootstrapServers, topics, stateDir, processingGuarantee, streamThreads,
        commitIntervalMs, transactionTimeoutMs, stage, failures.withInfrastructure(names));
  }

  /** Accepts a list of fully qualified Java class names. */
  private static final class ClassNames implements ConfigDef.Validator {
    private static final Pattern NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    @Override
    public void ensureValid(String name, Object value) {
      if (value instanceof List<?> list) {
        for (Object item : list) {
          if (!(item instanceof String className) || !NAME.matcher(className).matches()) {
            throw new ConfigException(name, value, "'" + item + "' is not a fully qualified class name");
          }
        }
      }
    }

    @Override
    public String toString() {
      return "fully qualified class names, comma-separated";
    }
  }
}
