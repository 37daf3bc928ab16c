package dev.sluice.cli.chaos;

import dev.sluice.events.DeadLetter;
import dev.sluice.schemas.Topic;
import dev.sluice.schemas.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the {@code dlq} topic of one run holds, counted by (key, stage, reason): the identity of a
 * dead letter that does not depend on when or in which process it was written. Read with
 * {@code read_committed}, so records of transactions a killed service never committed do not count.
 *
 * @param entries how many dead letters each (key, stage, reason) has
 */
record DeadLetterLog(SortedMap<Entry, Integer> entries) {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /** One kind of dead letter. */
  record Entry(String key, String stage, String reason) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return key + " (" + stage + ": " + reason + ")";
    }
  }

  DeadLetterLog {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  int total() {
    return entries.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Dead letters here beyond those in {@code expected}: extra kinds, and extra copies of expected ones. */
  List<String> beyond(DeadLetterLog expected) {
    List<String> extra = new ArrayList<>();
    entries.forEach((entry, count) -> {
      int surplus = count - expected.entries().getOrDefault(entry, 0);
      if (surplus > 0) {
        extra.add(surplus == 1 ? entry.toString() : String.format(Locale.ROOT, "%s x%d", entry, surplus));
      }
    });
    return extra;
  }

  /** How many dead letters {@link #beyond} lists, copies counted. */
  int countBeyond(DeadLetterLog expected) {
    int extra = 0;
    for (Map.Entry<Entry, Integer> e : entries.entrySet()) {
      extra += Math.max(0, e.getValue() - expected.entries().getOrDefault(e.getKey(), 0));
    }
    return extra;
  }

  /** Reads the whole dead-letter topic from the broker at {@code bootstrap}, up to its current end. */
  static DeadLetterLog read(String bootstrap) {
    Topic<String, DeadLetter> dlq = TopicCatalogue.withPrefix("").dlq();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    SortedMap<Entry, Integer> entries = new TreeMap<>();
    try (KafkaConsumer<String, DeadLetter> consumer =
        new KafkaConsumer<>(p, dlq.keySerde().deserializer(), dlq.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(dlq.name(), READ_TIMEOUT).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read the dead-letter topic to its end within " + READ_TIMEOUT);
        }
        for (ConsumerRecord<String, DeadLetter> record : consumer.poll(Duration.ofMillis(500))) {
          DeadLetter letter = record.value();
          entries.merge(new Entry(record.key(), letter.getStage(), letter.getReason()), 1, Integer::sum);
        }
      }
    }
    return new DeadLetterLog(entries);
  }
}
