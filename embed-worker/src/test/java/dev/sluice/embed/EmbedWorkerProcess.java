package dev.sluice.embed;

import dev.sluice.embedding.EmbeddingModel;
import dev.sluice.embedding.ModelCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The embed topology on a real KafkaStreams client, exactly-once, in a JVM of its own, so that a
 * test can kill it with SIGKILL. Arguments: bootstrap servers, state dir, and optionally a text
 * marker: the first model call given a text containing it prints {@link #FROZEN} and never
 * returns, so its batch stays pending in the store and nothing more can commit until the process
 * dies.
 *
 * <p>Batches are flushed by a manifest or after {@link #MAX_WAIT_MS}, never by count, while
 * commits come every 100 ms: chunks waiting in a batch have their input offsets committed, which
 * is the case a batch held only in memory would lose.
 */
public final class EmbedWorkerProcess {
  static final String APPLICATION_ID = "sluice-embed-it";
  static final String FROZEN = "frozen in model call";
  static final int MAX_WAIT_MS = 1_500;

  private EmbedWorkerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    String bootstrap = args[0];
    String stateDir = args[1];
    String freezeOn = args.length > 2 && !args[2].isBlank() ? args[2] : null;
    EmbedConfig config = EmbedConfig.from(Map.of(
        "kafka.bootstrap.servers", bootstrap,
        "streams.state.dir", stateDir,
        "streams.processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2,
        "streams.commit.interval.ms", "100",
        EmbedConfig.BATCH_MAX_SIZE, "1000",
        EmbedConfig.BATCH_MAX_WAIT_MS, String.valueOf(MAX_WAIT_MS)));
    Properties props = config.streams().withApplicationId(APPLICATION_ID).toStreamsProperties();
    // The killed member stays in the group until its session times out; the default 45 s would
    // only make the restart wait.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);

    EmbeddingModel model = new InterceptedModel(ModelCatalogue.loadDefault(), texts -> {
      if (freezeOn != null && texts.stream().anyMatch(t -> t.contains(freezeOn))) {
        System.out.println(FROZEN + " of " + texts.size() + " texts");
        System.out.flush();
        freeze();
      }
    });
    KafkaStreams streams = new KafkaStreams(EmbedTopology.build(config, model, new SimpleMeterRegistry()), props);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      System.out.println("state " + now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(30))));
    streams.start();
    stopped.await();
  }

  private static void freeze() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
