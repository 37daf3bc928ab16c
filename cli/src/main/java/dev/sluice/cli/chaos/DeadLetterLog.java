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
 * {@code read_committed}: a dead letter forwarded inside a transaction that was then aborted does not count.
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

  /**
   * Dead letters here of a kind (key, stage, reason) that {@code expected} does not have at all: each
   * one a record dead-lettered only because of a fault.
   */
  int spurious(DeadLetterLog expected) {
    return entries.entrySet().stream().filter(e -> !expected.entries().containsKey(e.getKey())).mapToInt(Map.Entry::getValue).sum();
  }

  /**
   * Extra copies here of a kind {@code expected} has too. Dead letters are written outside the stream
   * task's transaction, so a task that aborts after dead-lettering a record writes it again on replay:
   * docs/failure-handling.md tells readers of {@code dlq} to tolerate such duplicates.
   */
  int duplicates(DeadLetterLog expected) {
    int extra = 0;
    for (Map.Entry<Entry, Integer> e : entries.entrySet()) {
      Integer wanted = expected.entries().get(e.getKey());
      if (wanted != null) {
        extra += Math.max(0, e.getValue() - wanted);
      }
    }
    return extra;
  }

  /** Kinds of dead letter {@code expected} has and this log lacks. */
  int missing(DeadLetterLog expected) {
    return (int) expected.entries().keySet().stream().filter(k -> !entries.containsKey(k)).count();
  }

  /** One line per kind that differs from {@code expected}: spurious, duplicated or missing. */
  List<String> differences(DeadLetterLog expected) {
    List<String> lines = new ArrayList<>();
    entries.forEach((entry, count) -> {
      Integer wanted = expected.entries().get(entry);
      if (wanted == null) {
        lines.add("spurious dead letter " + entry + (count > 1 ? " x" + count : ""));
      } else if (count > wanted) {
        lines.add(String.format(Locale.ROOT, "dead letter %s written %d times, clean run %d", entry, count, wanted));
      }
    });
    expected.entries().keySet().stream().filter(k -> !entries.containsKey(k)).forEach(k -> lines.add("missing dead letter " + k));
    return lines;
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
