package dev.sluice.cli.chaos;

import dev.sluice.embed.EmbedConfig;
import dev.sluice.embed.EmbedWorker;
import dev.sluice.indexer.IndexConfig;
import dev.sluice.indexer.IndexWorker;
import dev.sluice.ingest.IngestConfig;
import dev.sluice.ingest.IngestService;
import dev.sluice.query.QueryService;
import java.util.Optional;

/**
 * The four services the chaos suite runs, each as its own JVM through its real {@code main}.
 *
 * @param label short name used in progress output and figures
 * @param processName the name the service logs under (its {@code StreamsService} name)
 * @param groupId the Kafka Streams application id (consumer group), absent for the query service
 */
enum Service {
  INGEST("ingest", "ingest-service", IngestService.class, Optional.of(IngestConfig.APPLICATION_ID)),
  EMBED("embed", "embed-worker", EmbedWorker.class, Optional.of(EmbedConfig.APPLICATION_ID)),
  INDEX("index", "index-worker", IndexWorker.class, Optional.of(IndexConfig.APPLICATION_ID)),
  QUERY("query", "query-service", QueryService.class, Optional.empty());

  private final String label;
  private final String processName;
  private final Class<?> mainClass;
  private final Optional<String> groupId;

  Service(String label, String processName, Class<?> mainClass, Optional<String> groupId) {
    this.label = label;
    this.processName = processName;
    this.mainClass = mainClass;
    this.groupId = groupId;
  }

  String label() {
    return label;
  }

  String processName() {
    return processName;
  }

  String mainClass() {
    return mainClass.getName();
  }

  Optional<String> groupId() {
    return groupId;
  }

  /** Whether the service is a Kafka Streams application (all but the query service). */
  boolean isStream() {
    return groupId.isPresent();
  }
}
