package dev.sluice.runtime.failure;

import dev.sluice.events.DeadLetter;
import dev.sluice.schemas.Topic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to the dead-letter topic with a producer of its own, created on the first
 * letter (most services never need it) and waiting for the broker's acknowledgement of each, so that
 * a record is only skipped once its dead letter is stored. The producer is not part of the stream
 * task's transaction: under exactly-once, a task that aborts after dead-lettering a record and then
 * replays it writes a second dead letter for it (dead letters are at-least-once).
 *
 * <p>A dead letter too large for the topic is written again without the original value, saying so in
 * its message, so that an oversized record is still accounted for. Thread-safe.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {
  private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterSink.class);

  private final Supplier<Producer<String, byte[]>> factory;
  private final String topic;
  private final Serializer<DeadLetter> serializer;
  private final Duration timeout;
  private Producer<String, byte[]> producer;
  private boolean closed;

  KafkaDeadLetterSink(Supplier<Producer<String, byte[]>> factory, Topic<String, DeadLetter> topic, Duration timeout) {
    this.factory = factory;
    this.topic = topic.name();
    this.serializer = topic.valueSerde().serializer();
    this.timeout = timeout;
  }

  /**
   * A sink writing to {@code topic} on the cluster at {@code bootstrapServers}.
   *
   * @param timeout longest wait for the cluster's metadata and acknowledgement of one letter
   */
  public static KafkaDeadLetterSink create(
      String bootstrapServers, String clientId, Topic<String, DeadLetter> topic, Duration timeout) {
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.CLIENT_ID_CONFIG, clientId,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        // The producer must give up within the timeout, or a waiting handler outlives it.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, ms,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaDeadLetterSink(
        () -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), topic, timeout);
  }

  @Override
  public void write(DeadLetter letter) {
    int originalSize = letter.getOriginalValue() == null ? 0 : letter.getOriginalValue().remaining();
    try {
      send(letter);
    } catch (RecordTooLargeException e) {
      if (letter.getOriginalValue() == null) {
        throw unavailable(letter, e);
      }
      DeadLetter trimmed = DeadLetter.newBuilder(letter)
          .setOriginalValue(null)
          .setMessage(letter.getMessage() + " [original value of " + originalSize
              + " bytes not kept: the dead letter was larger than " + topic + " accepts]")
          .build();
      log.warn("dead letter for {} too large for {} ({}); writing it without the original value",
          position(letter), topic, e.getMessage());
      try {
        send(trimmed);
      } catch (RecordTooLargeException stillTooLarge) {
        throw unavailable(trimmed, stillTooLarge);
      }
    }
  }

  private void send(DeadLetter letter) {
    try {
      byte[] value = serializer.serialize(topic, letter);
      producer().send(new ProducerRecord<>(topic, letter.getKey(), value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecordTooLargeException tooLarge) {
        throw tooLarge;
      }
      throw unavailable(letter, e.getCause());
    } catch (TimeoutException e) {
      throw unavailable(letter, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(letter, e);
    } catch (RecordTooLargeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable(letter, e);
    }
  }

  private synchronized Producer<String, byte[]> producer() {
    if (closed) {
      throw new IllegalStateException("the dead-letter sink is closed");
    }
    if (producer == null) {
      producer = factory.get();
    }
    return producer;
  }

  private DeadLetterUnavailableException unavailable(DeadLetter letter, Throwable cause) {
    return new DeadLetterUnavailableException("cannot write the dead letter for " + position(letter) + " to " + topic
        + " within " + timeout.toMillis() + " ms: " + cause, cause);
  }

  private static String position(DeadLetter letter) {
    return letter.getTopic() + "-" + letter.getPartition() + "@" + letter.getOffset();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
