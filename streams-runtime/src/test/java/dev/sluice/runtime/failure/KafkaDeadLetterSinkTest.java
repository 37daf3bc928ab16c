package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.events.DeadLetter;
import dev.sluice.schemas.TopicCatalogue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaDeadLetterSinkTest {
  private static final TopicCatalogue TOPICS = TopicCatalogue.withPrefix("t.");

  /** Refuses values larger than a limit, or everything with a given error. */
  private static final class Broker extends MockProducer<String, byte[]> {
    private final int maxValueBytes;
    private final RuntimeException failure;

    Broker(int maxValueBytes, RuntimeException failure) {
      super(true, null, new StringSerializer(), new ByteArraySerializer());
      this.maxValueBytes = maxValueBytes;
      this.failure = failure;
    }

    @Override
    public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (record.value().length > maxValueBytes) {
        return CompletableFuture.failedFuture(new RecordTooLargeException("too large"));
      }
      return super.send(record, callback);
    }
  }

  private static DeadLetter letter(int originalBytes) {
    return DeadLetter.newBuilder().setStage("index").setReason("processing-failed").setMessage("no vector")
        .setExceptionClass(IllegalArgumentException.class.getName()).setTopic("t.vectors").setPartition(2).setOffset(9)
        .setKey("acme/doc.txt").setOriginalValue(ByteBuffer.wrap(new byte[originalBytes])).setAttempts(1)
        .setFailedAt(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  private static DeadLetter decode(ProducerRecord<String, byte[]> record) {
    return TOPICS.dlq().valueSerde().deserializer().deserialize(record.topic(), record.value());
  }

  @Test
  void writesTheLetterToTheDlqTopicKeyedByItsDocumentOnFirstUse() {
    Broker broker = new Broker(Integer.MAX_VALUE, null);
    AtomicInteger created = new AtomicInteger();
    KafkaDeadLetterSink sink = new KafkaDeadLetterSink(() -> {
      created.incrementAndGet();
      return broker;
    }, TOPICS.dlq(), Duration.ofSeconds(1));
    assertThat(created).as("no producer before the first dead letter").hasValue(0);

    sink.write(letter(10));
    sink.write(letter(10));

    assertThat(created).hasValue(1);
    assertThat(broker.history()).hasSize(2).allSatisfy(record -> {
      assertThat(record.topic()).isEqualTo("t.dlq");
      assertThat(record.key()).isEqualTo("acme/doc.txt");
      assertThat(decode(record)).isEqualTo(letter(10));
    });
    sink.close();
    assertThat(broker.closed()).isTrue();
  }

  @Test
  void tooLargeLetterIsWrittenWithoutItsOriginalValue() {
    Broker broker = new Broker(1000, null);
    KafkaDeadLetterSink sink = new KafkaDeadLetterSink(() -> broker, TOPICS.dlq(), Duration.ofSeconds(1));

    sink.write(letter(5000));

    assertThat(broker.history()).singleElement().satisfies(record -> {
      DeadLetter written = decode(record);
      assertThat(written.getOriginalValue()).isNull();
      assertThat(written.getMessage()).startsWith("no vector").contains("original value of 5000 bytes not kept");
      assertThat(written.getOffset()).isEqualTo(9);
    });
  }

  @Test
  void unavailableBrokerIsReportedAsInfrastructure() {
    KafkaDeadLetterSink sink = new KafkaDeadLetterSink(() -> new Broker(Integer.MAX_VALUE, new TimeoutException("no ack")),
        TOPICS.dlq(), Duration.ofSeconds(1));

    assertThatThrownBy(() -> sink.write(letter(10)))
        .isInstanceOf(DeadLetterUnavailableException.class)
        .hasMessageContaining("t.vectors-2@9").hasMessageContaining("t.dlq")
        .hasCauseInstanceOf(TimeoutException.class);
  }

  @Test
  void closedSinkWritesNothing() {
    AtomicInteger created = new AtomicInteger();
    KafkaDeadLetterSink sink = new KafkaDeadLetterSink(() -> {
      created.incrementAndGet();
      return new Broker(Integer.MAX_VALUE, null);
    }, TOPICS.dlq(), Duration.ofSeconds(1));
    sink.close();

    assertThatThrownBy(() -> sink.write(letter(10))).isInstanceOf(DeadLetterUnavailableException.class);
    assertThat(created).hasValue(0);
  }
}
