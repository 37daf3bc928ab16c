package dev.sluice.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster, one KRaft process acting as both controller and broker, running
 * inside this JVM and listening on {@code 127.0.0.1} only.
 *
 * <p>{@link #start} returns once the broker accepts clients and serves the configured topics. The
 * data dir may be reused by a later start, which then finds the same cluster, topics and records.
 * Instances are thread-safe; {@link #close} is idempotent.
 *
 * <pre>{@code
 * var config = EmbeddedKafkaConfig.of(dataDir, 0, List.of("documents"));
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(config)) {
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats the data dir if it is new, starts the broker, waits until it is ready and creates the
   * configured topics that do not exist yet.
   *
   * @throws IllegalStateException if the broker does not start or become ready in time; the cause
   *     says why, and a partly started broker has been shut down
   */
  public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
    long begin = System.nanoTime();
    Path logDir = config.dataDir().resolve("kafka-logs");
    String clusterId = KraftStorage.formatIfNeeded(logDir);
    int[] ports = FreePorts.pick(config.brokerPort() == 0 ? 2 : 1);
    int brokerPort = config.brokerPort() == 0 ? ports[1] : config.brokerPort();
    String where =
        "Kafka broker on " + BrokerProperties.HOST + ":" + brokerPort + " in " + config.dataDir();

    KafkaRaftServer server;
    try {
      server =
          new KafkaRaftServer(
              KafkaConfig.fromProps(BrokerProperties.of(config, logDir, brokerPort, ports[0])),
              Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Invalid configuration for the " + where, e);
    }
    EmbeddedKafka kafka = new EmbeddedKafka(server, BrokerProperties.HOST + ":" + brokerPort);
    try {
      server.startup();
      kafka.awaitReady(config);
    } catch (Exception e) {
      try {
        kafka.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Could not start the " + where, e);
    }
    LOG.info(
        "Started the {} (cluster {}) in {} ms",
        where,
        clusterId,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    return kafka;
  }

  /** The address clients connect to, {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Shuts the broker down cleanly: it first hands its partitions back to the controller (controlled
   * shutdown), then stops and returns once every server thread has ended. Calls after the first do
   * nothing; a concurrent caller waits for the shutdown to complete.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long begin = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    LOG.info(
        "Stopped the Kafka broker on {} in {} ms",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
  }

  // startup() returns once the broker is unfenced; asking for the cluster proves it also answers
  // clients on the advertised listener.
  private void awaitReady(EmbeddedKafkaConfig config)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "sluice-embedded-kafka",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) READY_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(adminConfig)) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      TopicInitializer.ensure(admin, config.topics(), config.partitions(), READY_TIMEOUT);
    }
  }
}
