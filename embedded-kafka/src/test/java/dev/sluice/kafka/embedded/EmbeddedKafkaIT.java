package dev.sluice.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

  @TempDir Path dataDir;

  @Test
  void servesTopicsAndRecordsThatSurviveARestart() throws Exception {
    EmbeddedKafkaConfig config = new EmbeddedKafkaConfig(dataDir, 0, List.of("a", "b"), 3);
    String clusterId;

    EmbeddedKafka first = timedStart(config, "first start (format)");
    try (first) {
      assertThat(first.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      assertThat(partitionCounts(first)).isEqualTo(Map.of("a", 3, "b", 3));
      clusterId = clusterId(first);
      try (KafkaProducer<String, String> producer = producer(first)) {
        producer.send(new ProducerRecord<>("a", "tenant/doc-1", "hello")).get(30, TimeUnit.SECONDS);
      }
      assertThat(consumeOne(first, "a")).isEqualTo("tenant/doc-1=hello");
    }
    first.close(); // idempotent: already closed by try-with-resources

    try (EmbeddedKafka second = timedStart(config, "restart (same data dir)")) {
      assertThat(clusterId(second)).isEqualTo(clusterId);
      assertThat(partitionCounts(second)).isEqualTo(Map.of("a", 3, "b", 3));
      assertThat(consumeOne(second, "a")).isEqualTo("tenant/doc-1=hello");
    }
  }

  @Test
  void failsWithContextAndReleasesTheBrokerWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      EmbeddedKafkaConfig config =
          EmbeddedKafkaConfig.of(dataDir, taken.getLocalPort(), List.of("a"));

      assertThatIllegalStateException()
          .isThrownBy(() -> EmbeddedKafka.start(config))
          .withMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
    // The failed broker let go of the data dir and its threads: a start on it now succeeds.
    try (EmbeddedKafka kafka =
        EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir, 0, List.of("a")))) {
      assertThat(partitionCounts(kafka)).isEqualTo(Map.of("a", 6));
    }
  }

  private static EmbeddedKafka timedStart(EmbeddedKafkaConfig config, String what) {
    long begin = System.nanoTime();
    EmbeddedKafka kafka = EmbeddedKafka.start(config);
    System.out.printf(
        "EmbeddedKafka %s: %d ms%n",
        what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    return kafka;
  }

  private static Map<String, Integer> partitionCounts(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = admin(kafka)) {
      // Listing first proves no topic beyond the configured ones was created.
      var names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .collect(Collectors.toMap(TopicDescription::name, topic -> topic.partitions().size()));
    }
  }

  private static String clusterId(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = admin(kafka)) {
      return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    }
  }

  // Subscribing with a fresh group exercises the group coordinator and its offsets topic, as the
  // pipeline's Streams applications do.
  private static String consumeOne(EmbeddedKafka kafka, String topic) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
      assertThat(seen).hasSize(1);
      return seen.get(0);
    }
  }

  private static KafkaProducer<String, String> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(),
        new StringSerializer());
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }
}
