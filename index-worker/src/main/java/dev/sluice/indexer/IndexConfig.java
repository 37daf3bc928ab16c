package dev.sluice.indexer;

import dev.sluice.runtime.StreamsSettings;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Typed, validated configuration of the index worker.
 *
 * @param streams Kafka settings
 * @param indexDir root directory of the Lucene index (points under {@code points/}, document status
 *     under {@code documents/})
 */
public record IndexConfig(StreamsSettings streams, Path indexDir) {
  public static final String APPLICATION_ID = "sluice-index";
  public static final String INDEX_DIR = "index.dir";

  public static final ConfigDef DEFINITION =
      StreamsSettings.define(new ConfigDef())
          .define(INDEX_DIR, Type.STRING, "./sluice-data/index", new ConfigDef.NonEmptyString(), Importance.HIGH,
              "Directory of the Lucene index.");

  public static IndexConfig from(Map<String, String> settings) {
    AbstractConfig c = new AbstractConfig(DEFINITION, settings, false);
    return new IndexConfig(StreamsSettings.from(c, APPLICATION_ID), Path.of(c.getString(INDEX_DIR)));
  }
}
