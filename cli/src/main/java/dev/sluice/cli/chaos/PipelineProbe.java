package dev.sluice.cli.chaos;

import dev.sluice.schemas.TopicCatalogue;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where the pipeline stands, as the broker sees it: each stage's consumer lag (records after its
 * committed offset; a group that never committed lags by the whole partition) and the end offset of
 * every pipeline topic. The drain check needs both: a stage may have committed its input while it
 * still holds work in a state store (the embed-worker's pending batch), which then shows only as
 * output still growing.
 *
 * <p>Lag counts only records a {@code read_committed} consumer can see. A partition whose tail is an
 * aborted transaction (a killed service's, with its abort marker) offers the stage nothing to
 * process, so Kafka Streams never commits past it, and "end offset minus committed offset" would
 * stay above zero for ever. Such a gap, when it stays unchanged between two readings, is read once
 * and counted as the records it really holds.
 */
final class PipelineProbe implements AutoCloseable {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("");
  private static final Map<Service, List<String>> INPUTS = Map.of(
      Service.INGEST, List.of(TOPICS.documents().name(), TOPICS.documentsBackfill().name()),
      Service.EMBED, List.of(TOPICS.chunks().name()),
      Service.INDEX, List.of(TOPICS.vectors().name(), TOPICS.dlq().name(), TOPICS.progress().name()));
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

  /** A stretch of one partition: from a committed offset to an end offset. */
  private record Gap(TopicPartition partition, long from, long to) {}

  private final Admin admin;
  private final KafkaConsumer<byte[], byte[]> reader;
  private Set<Gap> previousGaps = Set.of();
  private final Map<Gap, Long> visibleInGap = new HashMap<>();

  PipelineProbe(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-chaos-probe");
    this.admin = Admin.create(p);
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-chaos-probe-reader");
    this.reader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A reading, or empty while the broker does not answer (it may be restarting). */
  Optional<Reading> read() {
    try {
      Map<TopicPartition, Long> ends = endOffsets();
      Map<Service, Long> lag = new EnumMap<>(Service.class);
      Set<Gap> gaps = new HashSet<>();
      for (Map.Entry<Service, List<String>> stage : INPUTS.entrySet()) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stage.getKey().groupId().orElseThrow())
            .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
          if (stage.getValue().contains(end.getKey().topic())) {
            OffsetAndMetadata at = committed.get(end.getKey());
            Gap gap = new Gap(end.getKey(), at == null ? 0 : at.offset(), end.getValue());
            if (gap.to() > gap.from()) {
              gaps.add(gap);
              behind += previousGaps.contains(gap) ? visible(gap) : gap.to() - gap.from();
            }
          }
        }
        lag.put(stage.getKey(), behind);
      }
      previousGaps = gaps;
      visibleInGap.keySet().retainAll(gaps);
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

  /** Records a read_committed consumer sees in {@code gap}; read once per gap, then remembered. */
  private long visible(Gap gap) {
    return visibleInGap.computeIfAbsent(gap, g -> {
      reader.assign(List.of(g.partition()));
      reader.seek(g.partition(), g.from());
      long seen = 0;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
      while (reader.position(g.partition(), Duration.ofMillis(TIMEOUT_MS)) < g.to()) {
        if (System.nanoTime() > deadline) {
          return g.to() - g.from();
        }
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (record.offset() < g.to()) {
            seen++;
          }
        }
      }
      return seen;
    });
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
    reader.close();
    admin.close(Duration.ofSeconds(5));
  }
}
