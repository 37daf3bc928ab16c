package dev.sluice.runtime;

import dev.sluice.runtime.failure.DeadLetterSink;
import dev.sluice.runtime.failure.FailurePolicy;
import dev.sluice.runtime.failure.StreamThreadFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams topology: starts it, reports its metrics, classifies uncaught failures and
 * closes it cleanly. Used by each service's {@code main} and by local mode.
 *
 * <p>Failure policy (see {@link dev.sluice.runtime.failure}): a record that cannot be handled never
 * reaches here; the exception handlers that {@link StreamsSettings#toStreamsProperties} installs
 * dead-letter it, at once when the record is bad, after {@code streams.max.record.attempts}
 * failures at its offset when the infrastructure failed. What does reach here is decided by {@link
 * StreamThreadFailures}: a fatal error stops the service with one line naming it; an infrastructure
 * failure replaces the stream thread after a growing backoff (the task resumes from its last commit,
 * which idempotent writes make harmless); any other failure likewise, until it has happened {@code
 * streams.thread.max.failures} times in a row, then the service stops.
 */
public final class StreamsService implements ServiceMain.Running {
  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

  private final String name;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final StreamThreadFailures threadFailures;
  private final FailurePolicy policy;
  private final DeadLetterSink deadLetters;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StreamsService(String name, KafkaStreams streams, KafkaStreamsMetrics metrics,
      StreamThreadFailures threadFailures, FailurePolicy policy, DeadLetterSink deadLetters) {
    this.name = name;
    this.streams = streams;
    this.metrics = metrics;
    this.threadFailures = threadFailures;
    this.policy = policy;
    this.deadLetters = deadLetters;
  }

  /**
   * Starts {@code topology}, its exception handlers dead-lettering to the dlq topic; returns once the
   * client is starting (not yet running).
   */
  public static StreamsService start(
      String name, Topology topology, StreamsSettings settings, MeterRegistry registry) {
    return start(name, topology, settings, registry, settings.deadLetterSink());
  }

  /**
   * As {@link #start(String, Topology, StreamsSettings, MeterRegistry)}, with the exception handlers
   * writing dead letters to {@code deadLetters}, which the service closes when it closes.
   */
  public static StreamsService start(String name, Topology topology, StreamsSettings settings, MeterRegistry registry,
      DeadLetterSink deadLetters) {
    FailurePolicy policy = settings.failurePolicy(deadLetters);
    KafkaStreams streams = new KafkaStreams(topology, settings.toStreamsProperties(policy));
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    StreamThreadFailures threadFailures = new StreamThreadFailures(name, settings.failures(), policy.classifier());
    StreamsService service = new StreamsService(name, streams, metrics, threadFailures, policy, deadLetters);
    streams.setUncaughtExceptionHandler(service::onUncaught);
    streams.setStateListener(
        (now, before) -> {
          log.info("{}: {} -> {}", name, before, now);
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            service.stopped.countDown();
          }
        });
    streams.start();
    return service;
  }

  private StreamThreadExceptionResponse onUncaught(Throwable error) {
    return threadFailures.onUncaught(error);
  }

  /** The Kafka Streams client, e.g. for state or lag queries. */
  public KafkaStreams streams() {
    return streams;
  }

  public String name() {
    return name;
  }

  /** True once the client is RUNNING (all tasks assigned and restored). */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** Blocks until the service stops by itself (fatal error) or is closed. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Waits up to {@code timeout} for the client to reach RUNNING. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (isRunning()) {
        return true;
      }
      if (stopped.await(100, TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    return isRunning();
  }

  /** Commits and closes (state stores flushed, offsets committed). Idempotent. */
  @Override
  public void close() {
    // A record failing from here on fails because of the close; it must replay, not be skipped.
    policy.closing();
    // A thread waiting out its replacement backoff would hold up the close.
    threadFailures.close();
    streams.close(Duration.ofSeconds(30));
    deadLetters.close();
    metrics.close();
    stopped.countDown();
  }
}
