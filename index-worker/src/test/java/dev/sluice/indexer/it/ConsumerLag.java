package dev.sluice.indexer.it;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How far consumer groups are behind their input topics: what "drained" means in the tests. */
final class ConsumerLag implements AutoCloseable {
  private final Admin admin;

  ConsumerLag(String bootstrap) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** Total records not yet committed by {@code groups} (group id → its input topics). */
  long total(Map<String, List<String>> groups) throws Exception {
    long lag = 0;
    for (var group : groups.entrySet()) {
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (var description : admin.describeTopics(group.getValue()).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        description.partitions().forEach(p -> ends.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
      }
      var endOffsets = admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group.getKey()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      for (var end : endOffsets.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += end.getValue().offset() - (done == null ? 0 : done.offset());
      }
    }
    return lag;
  }

  /** Waits until {@code groups} have committed everything, twice in a row (a late record shows). */
  void awaitDrained(Map<String, List<String>> groups, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    int zeros = 0;
    long last = -1;
    while (Instant.now().isBefore(deadline)) {
      last = total(groups);
      zeros = last == 0 ? zeros + 1 : 0;
      if (zeros >= 2) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("consumer groups " + groups.keySet() + " still " + last + " records behind after " + timeout);
  }

  @Override
  public void close() {
    admin.close();
  }
}
