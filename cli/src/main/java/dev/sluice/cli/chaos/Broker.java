package dev.sluice.cli.chaos;

import dev.sluice.kafka.embedded.EmbeddedKafka;
import dev.sluice.kafka.embedded.EmbeddedKafkaConfig;
import dev.sluice.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded KRaft broker of one chaos run, in this JVM on 127.0.0.1. It can be restarted on the
 * same log directory and the same port, so that the services' clients find it again where it was.
 * Not thread-safe: one run's monitor thread owns it.
 */
final class Broker implements AutoCloseable {
  private final EmbeddedKafkaConfig config;
  private final String bootstrap;
  private EmbeddedKafka kafka;

  private Broker(EmbeddedKafkaConfig config, EmbeddedKafka kafka) {
    this.config = config;
    this.kafka = kafka;
    this.bootstrap = kafka.bootstrapServers();
  }

  /** Starts a broker on a free port with the pipeline's topics, {@code partitions} each. */
  static Broker start(Path dir, int partitions) {
    EmbeddedKafkaConfig first = new EmbeddedKafkaConfig(dir, 0, TopicCatalogue.withPrefix("").allNames(), partitions);
    EmbeddedKafka kafka = EmbeddedKafka.start(first);
    String address = kafka.bootstrapServers();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    // Later starts must come back on the port the clients already know.
    return new Broker(new EmbeddedKafkaConfig(dir, port, first.topics(), partitions), kafka);
  }

  String bootstrap() {
    return bootstrap;
  }

  /**
   * Stops the broker (a controlled shutdown), leaves it down for {@code downtime}, and starts it again
   * on the same log directory and port.
   *
   * @return how long it took from the stop until the broker served clients again
   */
  Duration restart(Duration downtime) throws InterruptedException {
    long begin = System.nanoTime();
    kafka.close();
    kafka = null;
    Thread.sleep(downtime.toMillis());
    kafka = EmbeddedKafka.start(config);
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  @Override
  public void close() {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }
}
