package dev.sluice.ingest;

import dev.sluice.runtime.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Typed, validated configuration of the ingest service.
 *
 * @param streams Kafka settings
 * @param allowedRoots directories under which {@code file:} content references may be read; none
 *     unless configured
 * @param limits parsing limits
 * @param chunking chunk budget
 * @param modelName catalogue name of the embedding model whose tokenizer measures chunks
 */
public record IngestConfig(
    StreamsSettings streams,
    List<Path> allowedRoots,
    ParseLimits limits,
    ChunkingPolicy chunking,
    String modelName) {

  public static final String APPLICATION_ID = "sluice-ingest";
  public static final String ALLOWED_ROOTS = "ingest.allowed.roots";
  public static final String MAX_BYTES = "ingest.max.bytes";
  public static final String MAX_CHARS = "ingest.max.chars";
  public static final String PARSE_TIMEOUT = "ingest.parse.timeout.ms";
  public static final String CHUNK_MAX_TOKENS = "chunk.max.tokens";
  public static final String MODEL = "embedding.model";

  public static final ConfigDef DEFINITION =
      StreamsSettings.define(new ConfigDef())
          .define(ALLOWED_ROOTS, Type.LIST, List.of(), Importance.HIGH,
              "Directories under which file: content references may be read (comma-separated).")
          .define(MAX_BYTES, Type.LONG, 64L * 1024 * 1024, Range.between(1, Long.MAX_VALUE), Importance.MEDIUM,
              "Largest document, in bytes, that is parsed; larger ones go to the dead-letter topic.")
          .define(MAX_CHARS, Type.INT, 5_000_000, Range.between(1, Integer.MAX_VALUE), Importance.MEDIUM,
              "Most characters extracted from one document.")
          .define(PARSE_TIMEOUT, Type.LONG, 60_000L, Range.between(100, 3_600_000), Importance.MEDIUM,
              "Longest time one document may take to parse.")
          .define(CHUNK_MAX_TOKENS, Type.INT, 256, Range.between(16, 8192), Importance.MEDIUM,
              "Largest chunk in model tokens (special tokens included); at most the model window.")
          .define(MODEL, Type.STRING, "all-minilm-l6-v2", Importance.MEDIUM,
              "Embedding model whose tokenizer measures chunks.");

  /** Parses and validates raw settings; throws {@code ConfigException} naming the bad key. */
  public static IngestConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    return new IngestConfig(
        StreamsSettings.from(c, APPLICATION_ID),
        c.getList(ALLOWED_ROOTS).stream().filter(s -> !s.isBlank()).map(Path::of).toList(),
        new ParseLimits(c.getLong(MAX_BYTES), c.getInt(MAX_CHARS), Duration.ofMillis(c.getLong(PARSE_TIMEOUT))),
        new ChunkingPolicy(c.getInt(CHUNK_MAX_TOKENS)),
        c.getString(MODEL));
  }
}
