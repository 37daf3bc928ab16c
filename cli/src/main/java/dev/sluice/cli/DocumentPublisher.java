package dev.sluice.cli;

import dev.sluice.events.DocumentEvent;
import dev.sluice.schemas.Topic;
import dev.sluice.schemas.TopicCatalogue;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes document events to the live or backfill lane, keyed by tenant/docId, with an idempotent
 * producer (a retried send never duplicates an event).
 */
final class DocumentPublisher implements AutoCloseable {
  /** Which documents topic events go to. */
  enum Lane {
    live,
    backfill
  }

  private final KafkaProducer<String, DocumentEvent> producer;
  private final Topic<String, DocumentEvent> topic;

  DocumentPublisher(String bootstrap, TopicCatalogue topics, Lane lane) {
    this.topic = lane == Lane.live ? topics.documents() : topics.documentsBackfill();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  Future<RecordMetadata> publish(DocumentEvent event) {
    return producer.send(new ProducerRecord<>(topic.name(), event.getTenant() + "/" + event.getDocId(), event));
  }

  @Override
  public void close() {
    producer.close();
  }
}
