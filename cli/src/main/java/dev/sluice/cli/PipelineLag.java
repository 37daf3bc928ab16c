package dev.sluice.cli;

import dev.sluice.schemas.TopicCatalogue;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of every stage: for each service's consumer group and input topic partition, the
 * records after its committed offset. A group that has never committed lags by the whole partition.
 */
final class PipelineLag {
  /** A stage, its consumer group and the topics it reads. */
  record Stage(String name, String groupId, List<String> inputs) {}

  /** Lag per stage, then per partition ("topic-partition"). */
  record Report(Map<String, Map<String, Long>> byStage) {
    long total() {
      return byStage.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    long stage(String name) {
      return byStage.getOrDefault(name, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static List<Stage> stages(String prefix, TopicCatalogue topics) {
    return List.of(
        new Stage("ingest", prefix + "sluice-ingest", List.of(topics.documents().name(), topics.documentsBackfill().name())),
        new Stage("embed", prefix + "sluice-embed", List.of(topics.chunks().name())),
        new Stage("index", prefix + "sluice-index", List.of(topics.vectors().name(), topics.dlq().name())));
  }

  static Report measure(String bootstrap, List<Stage> stages) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    try (Admin admin = Admin.create(p)) {
      Map<String, Map<String, Long>> byStage = new LinkedHashMap<>();
      for (Stage stage : stages) {
        Map<TopicPartition, Long> ends = endOffsets(admin, stage.inputs());
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(stage.groupId()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<String, Long> lag = new LinkedHashMap<>();
        ends.forEach((tp, end) -> {
          OffsetAndMetadata c = committed.get(tp);
          lag.put(tp.toString(), Math.max(0, end - (c == null ? 0 : c.offset())));
        });
        byStage.put(stage.name(), lag);
      }
      return new Report(byStage);
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("cannot read consumer lag from " + bootstrap + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    descriptions.values().forEach(d -> d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    // read_committed: the last stable offset, so an open transaction's records do not count as pending
    // work that a consumer could already see.
    Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(request,
        new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> ends = new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    offsets.forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }
}
