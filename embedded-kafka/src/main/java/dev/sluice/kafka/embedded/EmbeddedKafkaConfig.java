package dev.sluice.kafka.embedded;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an {@link EmbeddedKafka} broker needs: where it keeps its data, which port it listens on and
 * which topics it must hold. The broker always binds to {@code 127.0.0.1}. Invalid values fail at
 * construction, naming the setting.
 *
 * @param dataDir directory holding the broker's storage; reusing it on a later start keeps the
 *     cluster id, topics and records. Stored as an absolute path.
 * @param brokerPort port of the PLAINTEXT client listener; {@code 0} picks a free port at each
 *     start
 * @param topics topics to create at start-up if they do not exist yet; no duplicates
 * @param partitions partition count of the created topics, also the broker's {@code num.partitions}
 */
public record EmbeddedKafkaConfig(
    Path dataDir, int brokerPort, List<String> topics, int partitions) {

  /** Partition count used by {@link #of(Path, int, List)}. */
  public static final int DEFAULT_PARTITIONS = 6;

  // Kafka's own rule for legal topic names (org.apache.kafka.common.internals.Topic, not public
  // API).
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public EmbeddedKafkaConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(topics, "topics");
    dataDir = dataDir.toAbsolutePath().normalize();
    if (brokerPort < 0 || brokerPort > 65_535) {
      throw new IllegalArgumentException(
          "brokerPort must be 0 (pick a free port) or 1-65535, was " + brokerPort);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    topics = List.copyOf(topics);
    Set<String> seen = new HashSet<>();
    for (String topic : topics) {
      if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
        throw new IllegalArgumentException(
            "topics: '"
                + topic
                + "' is not a legal Kafka topic name"
                + " (1-249 letters, digits, '.', '_' or '-'; not '.' or '..')");
      }
      if (!seen.add(topic)) {
        throw new IllegalArgumentException("topics: '" + topic + "' is listed twice");
      }
    }
  }

  /** A config whose topics get {@value #DEFAULT_PARTITIONS} partitions. */
  public static EmbeddedKafkaConfig of(Path dataDir, int brokerPort, List<String> topics) {
    return new EmbeddedKafkaConfig(dataDir, brokerPort, topics, DEFAULT_PARTITIONS);
  }
}
