package dev.sluice.embed;

import dev.sluice.runtime.StreamsSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Typed, validated configuration of the embed worker.
 *
 * @param streams Kafka settings
 * @param modelName catalogue name of the embedding model
 * @param windowTokens model window: longer texts are embedded from their first window of tokens
 */
public record EmbedConfig(StreamsSettings streams, String modelName, int windowTokens) {
  public static final String APPLICATION_ID = "sluice-embed";
  public static final String MODEL = "embedding.model";
  public static final String WINDOW = "embedding.window.tokens";

  public static final ConfigDef DEFINITION =
      StreamsSettings.define(new ConfigDef())
          .define(MODEL, Type.STRING, "all-minilm-l6-v2", Importance.HIGH, "Embedding model (catalogue name).")
          .define(WINDOW, Type.INT, 256, Range.between(8, 8192), Importance.MEDIUM,
              "Model window in tokens, special tokens included.");

  public static EmbedConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    return new EmbedConfig(StreamsSettings.from(c, APPLICATION_ID), c.getString(MODEL), c.getInt(WINDOW));
  }
}
