package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** Send failures, which TopologyTestDriver's producer never reports: the handler called as the record collector calls it. */
class DeadLetterProductionHandlerTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final ProducerRecord<byte[], byte[]> OUTPUT = new ProducerRecord<>("vectors", 2,
      "acme/doc.txt".getBytes(StandardCharsets.UTF_8), "vector bytes".getBytes(StandardCharsets.UTF_8));

  private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();

  /** The context Kafka Streams hands a send callback: the record being processed by then, if any. */
  private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
    @Override public String topic() { return "chunks"; }
    @Override public int partition() { return 2; }
    @Override public long offset() { return 77; }
    @Override public Headers headers() { return new RecordHeaders(); }
    @Override public String processorNodeId() { return "vectors-sink"; }
    @Override public TaskId taskId() { return new TaskId(0, 2); }
    @Override public long timestamp() { return NOW.toEpochMilli(); }
    @Override public byte[] sourceRawKey() { return null; }
    @Override public byte[] sourceRawValue() { return null; }
  };

  private DeadLetterProductionHandler handler(DeadLetterSink sink) {
    FailurePolicy policy = new FailurePolicy("embed", "dlq", 5, FailureClassifier.standard(), sink, new AttemptCounter(),
        Clock.fixed(NOW, ZoneOffset.UTC));
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(Map.of(FailurePolicy.CONFIG, policy));
    return handler;
  }

  @Test
  void refusedRecordIsDeadLetteredAsProducedWithItsDestination() {
    assertThat(handler(letters::add).handle(CONTEXT, OUTPUT, new RecordTooLargeException("2 MB")))
        .isEqualTo(ProductionExceptionHandlerResponse.CONTINUE);

    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.getStage()).isEqualTo("embed");
      assertThat(letter.getReason()).isEqualTo(FailurePolicy.PRODUCE_FAILED);
      assertThat(letter.getExceptionClass()).isEqualTo(RecordTooLargeException.class.getName());
      assertThat(letter.getMessage()).contains("cannot write to vectors").contains("2 MB");
      assertThat(letter.getTopic()).isEqualTo("vectors");
      assertThat(letter.getPartition()).isEqualTo(2);
      assertThat(letter.getOffset()).isEqualTo(-1);
      assertThat(letter.getKey()).isEqualTo("acme/doc.txt");
      assertThat(StandardCharsets.UTF_8.decode(letter.getOriginalValue()).toString()).isEqualTo("vector bytes");
      assertThat(letter.getFailedAt()).isEqualTo(NOW);
    });
  }

  @Test
  void retriableBrokerErrorReplaysTheTask() {
    assertThat(handler(letters::add).handle(CONTEXT, OUTPUT, new NotEnoughReplicasException("isr")))
        .isEqualTo(ProductionExceptionHandlerResponse.RETRY);
    assertThat(letters).isEmpty();
  }

  @Test
  void authorizationErrorFails() {
    assertThat(handler(letters::add).handle(CONTEXT, OUTPUT, new TopicAuthorizationException("vectors")))
        .isEqualTo(ProductionExceptionHandlerResponse.FAIL);
    assertThat(letters).isEmpty();
  }

  @Test
  void unwritableDeadLetterIsNotSwallowed() {
    DeadLetterProductionHandler handler = handler(letter -> {
      throw new DeadLetterUnavailableException("dlq down", null);
    });
    assertThatThrownBy(() -> handler.handle(CONTEXT, OUTPUT, new RecordTooLargeException("2 MB")))
        .isInstanceOf(DeadLetterUnavailableException.class);
  }

  @Test
  void handlerWithoutItsPolicyFailsAtConfiguration() {
    assertThatThrownBy(() -> new DeadLetterProductionHandler().configure(Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(FailurePolicy.CONFIG);
  }
}
