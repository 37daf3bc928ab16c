package dev.sluice.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic as data: its name and the serdes of its keys and values, defined once in {@link
 * TopicCatalogue} and used alike by producers, services and tests.
 *
 * @param name full topic name, prefix included
 * @param keySerde serde of the record keys
 * @param valueSerde serde of the record values
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }
}
