package dev.sluice.kafka.embedded;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of a single-node, combined broker and controller on the loopback address.
 */
final class BrokerProperties {

  static final String HOST = "127.0.0.1";
  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private BrokerProperties() {}

  static Properties of(
      EmbeddedKafkaConfig config, Path logDir, int brokerPort, int controllerPort) {
    Properties props = new Properties();
    props.setProperty("node.id", String.valueOf(NODE_ID));
    props.setProperty("process.roles", "broker,controller");
    // A static one-voter quorum rather than a dynamic one: the voter's address then lives in this
    // config, not in the metadata log, so a restart may pick a new controller port.
    props.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
    props.setProperty(
        "listeners",
        String.format(
            "PLAINTEXT://%s:%d,%s://%s:%d",
            HOST, brokerPort, CONTROLLER_LISTENER, HOST, controllerPort));
    props.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    props.setProperty(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.setProperty("inter.broker.listener.name", "PLAINTEXT");
    props.setProperty("log.dirs", logDir.toString());
    props.setProperty("metadata.log.dir", logDir.toString());

    // One node: every internal topic must settle for one replica.
    props.setProperty("offsets.topic.replication.factor", "1");
    props.setProperty("transaction.state.log.replication.factor", "1");
    props.setProperty("transaction.state.log.min.isr", "1");
    props.setProperty("share.coordinator.state.topic.replication.factor", "1");
    props.setProperty("share.coordinator.state.topic.min.isr", "1");
    // Kafka's default of 50 partitions per internal topic buys no parallelism on one node, and each
    // partition costs a log directory with memory-mapped index files.
    props.setProperty("offsets.topic.num.partitions", "1");
    props.setProperty("transaction.state.log.num.partitions", "1");

    // Nobody else joins a local group, so waiting for more members only slows every test.
    props.setProperty("group.initial.rebalance.delay.ms", "0");
    props.setProperty("num.partitions", String.valueOf(config.partitions()));
    // A typo in a topic name must fail, not create a new topic.
    props.setProperty("auto.create.topics.enable", "false");
    // The log cleaner allocates this on the heap it shares with the application (default 128 MiB).
    props.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    // Fail a broken start-up instead of waiting forever for the broker to be unfenced.
    props.setProperty("server.max.startup.time.ms", "60000");
    return props;
  }
}
