package dev.sluice.indexer;

import dev.sluice.runtime.DurationSetting;
import dev.sluice.index.IndexUnavailableException;
import dev.sluice.index.backend.IndexBackendConfig;
import dev.sluice.runtime.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Typed, validated configuration of the index worker.
 *
 * @param streams Kafka settings
 * @param backend the vector index and document registry to write: Lucene in a local directory, or Qdrant
 * @param batch how chunks are batched into index writes
 * @param purge how long soft-deleted points are kept, and how often expired ones are purged
 * @param resilience retry and circuit-breaker policy for transient index failures
 */
public record IndexConfig(StreamsSettings streams, IndexBackendConfig backend, Batching batch, Purge purge, Resilience resilience) {
  public static final String APPLICATION_ID = "sluice-index";
  public static final String INDEX_DIR = IndexBackendConfig.INDEX_DIR;
  public static final String BATCH_SIZE = "index.batch.size";
  public static final String BATCH_LINGER = "index.batch.linger";
  public static final String PURGE_RETENTION = "index.purge.retention";
  public static final String PURGE_INTERVAL = "index.purge.interval";
  public static final String RETRY_ATTEMPTS = "index.retry.attempts";
  public static final String RETRY_INITIAL = "index.retry.initial.backoff";
  public static final String RETRY_MAX = "index.retry.max.backoff";
  public static final String BREAKER_FAILURE_RATE = "index.breaker.failure.rate";
  public static final String BREAKER_OPEN = "index.breaker.open.duration";

  /**
   * @param size most points in one write
   * @param linger longest a chunk waits for its batch to fill before it is written anyway
   */
  public record Batching(int size, Duration linger) {}

  /**
   * @param retention soft-deleted points are hard-deleted once deleted longer than this
   * @param interval how often the worker looks for expired points
   */
  public record Purge(Duration retention, Duration interval) {}

  /**
   * @param attempts tries of one index call before the failure counts against the breaker
   * @param initialBackoff wait before the first retry; doubles per retry, with ±50 % jitter
   * @param maxBackoff longest wait between retries
   * @param failureRate percentage of failed calls (over the last 10) that opens the breaker
   * @param openDuration how long an open breaker pauses index calls before one trial call
   */
  public record Resilience(int attempts, Duration initialBackoff, Duration maxBackoff, int failureRate, Duration openDuration) {}

  private static final DurationSetting DURATION = new DurationSetting();

  public static final ConfigDef DEFINITION =
      IndexBackendConfig.define(StreamsSettings.define(new ConfigDef()))
          .define(BATCH_SIZE, Type.INT, 256, Range.between(1, 10_000), Importance.MEDIUM,
              "Most points written to the index in one batch.")
          .define(BATCH_LINGER, Type.STRING, "100ms", DURATION, Importance.LOW,
              "Longest a chunk waits for its batch to fill before it is written; a document's manifest and every "
                  + "Kafka commit write the batch at once.")
          .define(PURGE_RETENTION, Type.STRING, "72h", DURATION, Importance.MEDIUM,
              "How long soft-deleted points are kept (restorable without re-embedding) before the purge removes them.")
          .define(PURGE_INTERVAL, Type.STRING, "1h", DURATION, Importance.LOW,
              "How often the worker purges soft-deleted points older than the retention.")
          .define(RETRY_ATTEMPTS, Type.INT, 5, Range.between(1, 100), Importance.LOW,
              "Tries of one index call (exponential backoff with jitter between them) before it counts as failed.")
          .define(RETRY_INITIAL, Type.STRING, "200ms", DURATION, Importance.LOW,
              "Wait before the first retry of a failed index call; doubles per retry.")
          .define(RETRY_MAX, Type.STRING, "10s", DURATION, Importance.LOW,
              "Longest wait between two retries of an index call.")
          .define(BREAKER_FAILURE_RATE, Type.INT, 50, Range.between(1, 100), Importance.LOW,
              "Percentage of failed index calls (of the last 10) that opens the circuit breaker and pauses consumption.")
          .define(BREAKER_OPEN, Type.STRING, "30s", DURATION, Importance.LOW,
              "How long an open circuit breaker pauses consumption before a trial call.");

  public static IndexConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    return new IndexConfig(
        // An index that is down or slow pauses and retries the record; it is never its fault.
        StreamsSettings.from(c, APPLICATION_ID).withInfrastructure(IndexUnavailableException.class),
        IndexBackendConfig.from(c),
        new Batching(c.getInt(BATCH_SIZE), duration(c, BATCH_LINGER)),
        new Purge(duration(c, PURGE_RETENTION), duration(c, PURGE_INTERVAL)),
        new Resilience(c.getInt(RETRY_ATTEMPTS), duration(c, RETRY_INITIAL), duration(c, RETRY_MAX),
            c.getInt(BREAKER_FAILURE_RATE), duration(c, BREAKER_OPEN)));
  }

  /** Root directory of the Lucene index (used only with {@code index.backend=lucene}). */
  public Path indexDir() {
    return backend.indexDir();
  }

  private static Duration duration(AbstractConfig config, String key) {
    return DurationSetting.parse(config.getString(key));
  }
}
