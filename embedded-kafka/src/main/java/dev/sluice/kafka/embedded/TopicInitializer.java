package dev.sluice.kafka.embedded;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the configured topics, leaving existing ones alone, and waits until the broker serves
 * them.
 */
final class TopicInitializer {

  private static final Duration POLL = Duration.ofMillis(50);

  private TopicInitializer() {}

  static void ensure(Admin admin, List<String> topics, int partitions, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NewTopic> requests =
        topics.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
    for (Map.Entry<String, KafkaFuture<Void>> created :
        admin.createTopics(requests).values().entrySet()) {
      try {
        created.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        // A restart on the same data dir finds its topics already there, as it should.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    awaitServed(admin, topics, deadline);
  }

  // The controller acknowledges a creation once it is in the metadata log; the broker serves the
  // topic only after replaying it. Waiting here spares every caller a first unknown-topic error.
  private static void awaitServed(Admin admin, Collection<String> topics, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(topics)
                .allTopicNames()
                .get(remaining(deadline), TimeUnit.NANOSECONDS);
        boolean led =
            described.values().stream()
                .flatMap(topic -> topic.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        if (led) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (remaining(deadline) <= POLL.toNanos()) {
        throw new TimeoutException("Topics " + topics + " were not served in time");
      }
      Thread.sleep(POLL);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
