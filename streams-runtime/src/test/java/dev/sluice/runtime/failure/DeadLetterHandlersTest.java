package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.events.DeadLetter;
import dev.sluice.runtime.FatalServiceException;
import dev.sluice.runtime.StreamsSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exception handlers as Kafka Streams 4.1 applies them, driven by TopologyTestDriver through a
 * tiny topology whose processor throws on command. The driver runs the handlers configured by {@link
 * StreamsSettings#toStreamsProperties(FailurePolicy)}, as a service's client does.
 */
class DeadLetterHandlersTest {
  private static final String IN = "in";
  private static final String STRICT = "strict";
  private static final String DLQ = "dlq";
  private static final String OUT = "out";
  private static final String KEY = "acme/doc.txt";
  private static final int MAX_ATTEMPTS = 3;

  @TempDir Path temp;
  private StreamsSettings settings;
  private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
  private final AtomicBoolean punctuationFails = new AtomicBoolean();

  /** A dependency of the processor that is down. */
  static final class BackendDown extends RuntimeException implements InfrastructureFailure {
    private static final long serialVersionUID = 1L;

    BackendDown(String message) {
      super(message);
    }
  }

  /** Does what the record's value says. */
  private final class CommandProcessor implements Processor<String, byte[], String, byte[]> {
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> {
        if (punctuationFails.get()) {
          throw new IllegalStateException("punctuation bug");
        }
      });
    }

    @Override
    public void process(Record<String, byte[]> record) {
      switch (new String(record.value(), StandardCharsets.UTF_8)) {
        case "bad" -> throw new IllegalArgumentException("no such chunk");
        case "down" -> throw new BackendDown("backend unavailable");
        case "fatal" -> throw new FatalServiceException("model 'm' cannot load");
        case "forward-then-bad" -> {
          context.forward(record);
          throw new IllegalArgumentException("second chunk refused");
        }
        default -> context.forward(record);
      }
    }
  }

  @BeforeEach
  void settings() {
    Map<String, Object> values = new HashMap<>();
    values.put(StreamsSettings.STATE_DIR, temp.toString());
    values.put(StreamsSettings.MAX_RECORD_ATTEMPTS, String.valueOf(MAX_ATTEMPTS));
    settings = StreamsSettings.from(new AbstractConfig(StreamsSettings.define(new ConfigDef()), values), "sluice-test");
  }

  private Topology topology() {
    Deserializer<byte[]> strict = (topic, bytes) -> {
      if (new String(bytes, StandardCharsets.UTF_8).equals("garbage")) {
        throw new SerializationException("not a record");
      }
      return bytes;
    };
    Serializer<byte[]> sink = (topic, value) -> {
      if (new String(value, StandardCharsets.UTF_8).equals("unserializable")) {
        throw new SerializationException("cannot encode");
      }
      return value;
    };
    Topology topology = new Topology();
    topology.addSource("in-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), IN);
    topology.addSource("strict-source", Serdes.String().deserializer(), strict, STRICT);
    topology.addSource("dlq-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), DLQ);
    topology.addProcessor("command", CommandProcessor::new, "in-source", "strict-source", "dlq-source");
    topology.addSink("out-sink", OUT, Serdes.String().serializer(), sink, "command");
    return topology;
  }

  private TopologyTestDriver driver(FailurePolicy policy) {
    return new TopologyTestDriver(topology(), settings.toStreamsProperties(policy));
  }

  private static TestInputTopic<String, byte[]> input(TopologyTestDriver driver, String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer());
  }

  private static List<String> output(TopologyTestDriver driver) {
    TestOutputTopic<String, String> out = driver.createOutputTopic(OUT, new StringDeserializer(), new StringDeserializer());
    return out.readValuesToList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
  }

  @Test
  void badRecordIsDeadLetteredWithItsBytesAndTheNextOneIsProcessed() {
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      in.pipeInput(KEY, bytes("bad"));
      in.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.getStage()).isEqualTo("test");
      assertThat(letter.getReason()).isEqualTo(FailurePolicy.PROCESSING_FAILED);
      assertThat(letter.getExceptionClass()).isEqualTo(IllegalArgumentException.class.getName());
      assertThat(letter.getMessage()).contains("'command'").contains("no such chunk");
      assertThat(letter.getAttempts()).isEqualTo(1);
      assertThat(letter.getKey()).isEqualTo(KEY);
      assertThat(text(letter.getOriginalValue())).isEqualTo("bad");
      assertThat(letter.getTopic()).isEqualTo(IN);
      assertThat(letter.getPartition()).isZero();
      assertThat(letter.getOffset()).isZero();
      assertThat(letter.getTenant()).isEqualTo("acme");
      assertThat(letter.getDocId()).isEqualTo("doc.txt");
    });
  }

  @Test
  void infrastructureFailureIsRetriedThenDeadLetteredAfterMaxAttemptsAtTheSameOffset() {
    FailurePolicy policy = settings.failurePolicy(letters::add);
    StreamThreadFailures threads = new StreamThreadFailures("test", settings.failures(), policy.classifier(),
        Clock.systemUTC(), delay -> {});
    // Each driver is a replaced stream thread: the task restarts from its last commit, so the
    // record comes back at the same offset, and the policy (one per client) remembers its failures.
    for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      try (TopologyTestDriver driver = driver(policy)) {
        TestInputTopic<String, byte[]> in = input(driver, IN);
        assertThatThrownBy(() -> in.pipeInput(KEY, bytes("down")))
            .isInstanceOf(StreamsException.class)
            .hasRootCauseInstanceOf(BackendDown.class)
            .satisfies(thrown -> assertThat(threads.onUncaught(thrown)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD));
      }
      assertThat(letters).as("not dead-lettered after %d failures", attempt).isEmpty();
    }
    try (TopologyTestDriver driver = driver(policy)) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      in.pipeInput(KEY, bytes("down"));
      in.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.getReason()).isEqualTo(FailurePolicy.RETRIES_EXHAUSTED);
      assertThat(letter.getAttempts()).isEqualTo(MAX_ATTEMPTS);
      assertThat(letter.getExceptionClass()).isEqualTo(BackendDown.class.getName());
      assertThat(letter.getMessage()).contains("backend unavailable").contains(MAX_ATTEMPTS + " times");
      assertThat(text(letter.getOriginalValue())).isEqualTo("down");
      assertThat(letter.getOffset()).isZero();
    });
  }

  @Test
  void serializationFailureDeadLettersTheInputRecordAndProcessingGoesOn() {
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      in.pipeInput(KEY, bytes("unserializable"));
      in.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.getReason()).isEqualTo(FailurePolicy.SERIALIZATION_FAILED);
      assertThat(letter.getExceptionClass()).isEqualTo(SerializationException.class.getName());
      assertThat(letter.getMessage()).contains("sink to out (value)").contains("cannot encode");
      assertThat(text(letter.getOriginalValue())).isEqualTo("unserializable");
      assertThat(letter.getKey()).isEqualTo(KEY);
      assertThat(letter.getTopic()).isEqualTo(IN);
      assertThat(letter.getAttempts()).isEqualTo(1);
    });
  }

  @Test
  void deserializationFailureIsDeadLetteredWithTheBytesAsRead() {
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      TestInputTopic<String, byte[]> strict = input(driver, STRICT);
      strict.pipeInput(KEY, bytes("garbage"));
      strict.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.getReason()).isEqualTo(FailurePolicy.DESERIALIZATION_FAILED);
      assertThat(letter.getTopic()).isEqualTo(STRICT);
      assertThat(text(letter.getOriginalValue())).isEqualTo("garbage");
      assertThat(letter.getExceptionClass()).isEqualTo(SerializationException.class.getName());
    });
  }

  @Test
  void recordThatFailsAfterForwardingStillCarriesItsBytes() {
    // Kafka Streams 4.1 frees the source bytes once an output is serialized; the handler falls back
    // to the bytes the processor received.
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      input(driver, IN).pipeInput(KEY, bytes("forward-then-bad"));

      assertThat(output(driver)).containsExactly("forward-then-bad");
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(text(letter.getOriginalValue())).isEqualTo("forward-then-bad");
      assertThat(letter.getKey()).isEqualTo(KEY);
    });
  }

  @Test
  void fatalFailureFailsTheTaskAndStopsTheService() {
    FailurePolicy policy = settings.failurePolicy(letters::add);
    try (TopologyTestDriver driver = driver(policy)) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      assertThatThrownBy(() -> in.pipeInput(KEY, bytes("fatal")))
          .isInstanceOf(StreamsException.class)
          .hasRootCauseInstanceOf(FatalServiceException.class)
          .satisfies(thrown -> assertThat(new StreamThreadFailures("test", settings.failures(), policy.classifier())
              .onUncaught(thrown)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT));
    }
    assertThat(letters).isEmpty();
  }

  @Test
  void recordThatCannotBeDeadLetteredIsNotSkipped() {
    FailurePolicy policy = settings.failurePolicy(letter -> {
      throw new DeadLetterUnavailableException("dlq down", new TimeoutException("no ack"));
    });
    try (TopologyTestDriver driver = driver(policy)) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      assertThatThrownBy(() -> in.pipeInput(KEY, bytes("bad")))
          .isInstanceOf(StreamsException.class)
          .hasCauseInstanceOf(DeadLetterUnavailableException.class)
          .satisfies(thrown -> assertThat(policy.classifier().classify(thrown)).isEqualTo(FailureKind.INFRASTRUCTURE));

      assertThat(output(driver)).isEmpty();
    }
  }

  @Test
  void nothingIsSkippedOnceTheClientIsClosing() {
    FailurePolicy policy = settings.failurePolicy(letters::add);
    policy.closing();
    try (TopologyTestDriver driver = driver(policy)) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      assertThatThrownBy(() -> in.pipeInput(KEY, bytes("bad"))).isInstanceOf(StreamsException.class);
    }
    assertThat(letters).isEmpty();
  }

  @Test
  void failureOfADeadLetterIsNeverDeadLetteredAgain() {
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      TestInputTopic<String, byte[]> dlq = input(driver, DLQ);
      dlq.pipeInput(KEY, bytes("bad"));
      dlq.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).isEmpty();
  }

  @Test
  void punctuationFailureHasNoRecordToSkipSoTheTaskFails() {
    try (TopologyTestDriver driver = driver(settings.failurePolicy(letters::add))) {
      punctuationFails.set(true);
      assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofSeconds(2)))
          .isInstanceOf(StreamsException.class)
          .hasRootCauseInstanceOf(IllegalStateException.class);
      punctuationFails.set(false);
    }
    assertThat(letters).isEmpty();
  }

  @Test
  void handlersRunUnderAtLeastOnceToo() {
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(), withGuarantee(StreamsConfig.AT_LEAST_ONCE))) {
      TestInputTopic<String, byte[]> in = input(driver, IN);
      in.pipeInput(KEY, bytes("bad"));
      in.pipeInput(KEY, bytes("good"));

      assertThat(output(driver)).containsExactly("good");
    }
    assertThat(letters).hasSize(1);
  }

  private Properties withGuarantee(String guarantee) {
    Properties props = settings.toStreamsProperties(settings.failurePolicy(letters::add));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    return props;
  }
}
