package dev.sluice.embed;

import dev.sluice.embedding.EngineFailureException;
import dev.sluice.embedding.ModelCatalogue;
import dev.sluice.runtime.StreamsSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Typed, validated configuration of the embed worker.
 *
 * @param streams Kafka settings; an {@link EngineFailureException} counts as an infrastructure
 *     failure besides those of {@code streams.infrastructure.exceptions}
 * @param modelName catalogue name of the embedding model
 * @param windowTokens model window: longer texts are embedded from their first window of tokens
 * @param batchMaxSize chunks per model call at most; a full batch is embedded at once
 * @param batchMaxWait how long the first chunk of a batch waits for more to arrive; zero embeds
 *     every chunk as it comes
 * @param chunkMaxChars longest chunk text accepted; a longer one goes to the dead-letter topic
 * @param cacheMaxEntries embedding cache entries per partition, oldest evicted first
 */
public record EmbedConfig(
    StreamsSettings streams,
    String modelName,
    int windowTokens,
    int batchMaxSize,
    Duration batchMaxWait,
    int chunkMaxChars,
    long cacheMaxEntries) {

  public static final String APPLICATION_ID = "sluice-embed";
  public static final String MODEL = "embedding.model";
  public static final String WINDOW = "embedding.window.tokens";
  public static final String BATCH_MAX_SIZE = "embed.batch.max.size";
  public static final String BATCH_MAX_WAIT_MS = "embed.batch.max.wait.ms";
  public static final String CHUNK_MAX_CHARS = "embed.chunk.max.chars";
  public static final String CACHE_MAX_ENTRIES = "embed.cache.max.entries";

  /** Chunks per model call by default: enough to fill a batch on a backfill, no more. */
  public static final int DEFAULT_BATCH_MAX_SIZE = 32;

  public static final ConfigDef DEFINITION =
      StreamsSettings.define(new ConfigDef())
          .define(MODEL, Type.STRING, ModelCatalogue.DEFAULT_MODEL,
              ConfigDef.ValidString.in(ModelCatalogue.names().toArray(String[]::new)),
              Importance.HIGH, "Embedding model (catalogue name).")
          .define(WINDOW, Type.INT, ModelCatalogue.DEFAULT_WINDOW_TOKENS, Range.between(8, 8192),
              Importance.MEDIUM, "Model window in tokens, special tokens included.")
          .define(BATCH_MAX_SIZE, Type.INT, DEFAULT_BATCH_MAX_SIZE, Range.between(1, 1024),
              Importance.MEDIUM, "Most chunks embedded in one model call.")
          .define(BATCH_MAX_WAIT_MS, Type.LONG, 5L, Range.between(0, 60_000), Importance.MEDIUM,
              "Longest a chunk waits for its batch to fill, in wall-clock milliseconds; 0 embeds "
                  + "each chunk on arrival. When the service is idle, Kafka Streams' poll.ms "
                  + "(100 ms) bounds how late the wait is noticed.")
          // A WordPiece token covers at most 100 characters, so even a chunk that fills a
          // 256-token window with the longest words stays under this; anything longer is not a
          // chunk the ingest service produced.
          .define(CHUNK_MAX_CHARS, Type.INT, 32_768, Range.between(1, 1 << 20), Importance.LOW,
              "Longest chunk text in characters; a longer chunk goes to the dead-letter topic "
                  + "without reaching the tokenizer.")
          // About 1.6 KB on disk per entry with a 384-d model: 100,000 entries are ~160 MB per
          // partition, and the changelog topic holds as much.
          .define(CACHE_MAX_ENTRIES, Type.LONG, 100_000L, Range.between(1, Long.MAX_VALUE),
              Importance.MEDIUM,
              "Embedding cache entries per partition; past it the oldest-inserted are evicted.");

  /**
   * Parses and validates raw settings.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the first invalid key
   */
  public static EmbedConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    return new EmbedConfig(
        // The embedding module cannot implement streams-runtime's InfrastructureFailure, so its
        // engine failure is named: a model runtime that fails is retried, not its chunks dead-lettered.
        StreamsSettings.from(c, APPLICATION_ID).withInfrastructure(EngineFailureException.class),
        c.getString(MODEL),
        c.getInt(WINDOW),
        c.getInt(BATCH_MAX_SIZE),
        Duration.ofMillis(c.getLong(BATCH_MAX_WAIT_MS)),
        c.getInt(CHUNK_MAX_CHARS),
        c.getLong(CACHE_MAX_ENTRIES));
  }
}
