package dev.sluice.cli.chaos;

import dev.sluice.schemas.TopicCatalogue;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the pipeline stands, as the broker sees it: each stage's consumer lag (records after its
 * committed offset; a group that never committed lags by the whole partition) and the end offset of
 * every pipeline topic. The drain check needs both: a stage may have committed its input while it
 * still holds work in a state store (the embed-worker's pending batch), which then shows only as
 * output still growing.
 */
final class PipelineProbe implements AutoCloseable {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final Map<Service, List<String>> INPUTS = Map.of(
      Service.INGEST, List.of(TOPICS.documents().name(), TOPICS.documentsBackfill().name()),
      Service.EMBED, List.of(TOPICS.chunks().name()),
      Service.INDEX, List.of(TOPICS.vectors().name(), TOPICS.dlq().name()));
  private static final long TIMEOUT_MS = 5_000;

  /**
   * One look at the pipeline.
   *
   * @param lag records each stream service has not committed yet
   * @param ends end offset (last stable offset) of every partition of every pipeline topic
   */
  record Reading(Map<Service, Long> lag, Map<String, Long> ends) {
    boolean idle() {
      return lag.values().stream().allMatch(l -> l == 0);
    }

    String describeLag() {
      return "ingest " + lag.get(Service.INGEST) + ", embed " + lag.get(Service.EMBED) + ", index " + lag.get(Service.INDEX);
    }
  }

  private final Admin admin;

  PipelineProbe(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-chaos-probe");
    this.admin = Admin.create(p);
  }

  /** A reading, or empty while the broker does not answer (it may be restarting). */
  Optional<Reading> read() {
    try {
      Map<TopicPartition, Long> ends = endOffsets();
      Map<Service, Long> lag = new EnumMap<>(Service.class);
      for (Map.Entry<Service, List<String>> stage : INPUTS.entrySet()) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.getKey().groupId().orElseThrow())
            .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
          if (stage.getValue().contains(end.getKey().topic())) {
            OffsetAndMetadata at = committed.get(end.getKey());
            behind += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
          }
        }
        lag.put(stage.getKey(), behind);
      }
      Map<String, Long> byName = new TreeMap<>();
      ends.forEach((tp, offset) -> byName.put(tp.toString(), offset));
      return Optional.of(new Reading(lag, byName));
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException, TimeoutException {
    Map<String, TopicDescription> topics = admin.describeTopics(TOPICS.allNames()).allTopicNames().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    topics.values().forEach(d -> d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    // read_committed: records of an open or aborted transaction are not work a consumer could see.
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
