package dev.sluice.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KRaft storage of the broker: formatted once, as {@code kafka-storage.sh format} would, and
 * reused on every later start so the cluster id, and with it all topics and records, survive.
 */
final class KraftStorage {

  private static final Logger LOG = LoggerFactory.getLogger(KraftStorage.class);

  private KraftStorage() {}

  /**
   * Returns the cluster id of {@code logDir}, formatting it first with a new cluster id if it holds
   * no {@code meta.properties} yet.
   */
  static String formatIfNeeded(Path logDir) {
    Optional<String> existing = clusterIdOf(logDir);
    if (existing.isPresent()) {
      return existing.get();
    }
    String clusterId = Uuid.randomUuid().toString();
    // The Formatter reports on a PrintStream meant for a terminal; keep it out of stdout.
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    try {
      Files.createDirectories(logDir);
      // kafka.tools.StorageTool's format command is a thin argument parser in front of this class.
      new Formatter()
          .setPrintStream(new PrintStream(report, true, StandardCharsets.UTF_8))
          .setNodeId(BrokerProperties.NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir.toString())
          .addDirectory(logDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
    }
    LOG.debug(
        "Formatted {} for cluster {}: {}",
        logDir,
        clusterId,
        report.toString(StandardCharsets.UTF_8).strip());
    return clusterId;
  }

  private static Optional<String> clusterIdOf(Path logDir) {
    if (!Files.isDirectory(logDir)) {
      return Optional.empty();
    }
    try {
      MetaPropertiesEnsemble ensemble =
          new MetaPropertiesEnsemble.Loader()
              .addLogDirs(List.of(logDir.toString()))
              .addMetadataLogDir(logDir.toString())
              .load();
      if (!ensemble.errorLogDirs().isEmpty()) {
        throw new IllegalStateException("Unreadable meta.properties in " + logDir);
      }
      return ensemble.clusterId();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the Kafka storage in " + logDir, e);
    }
  }
}
