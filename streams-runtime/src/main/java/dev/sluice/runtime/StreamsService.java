package dev.sluice.runtime;

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
 * <p>Failure policy: a record a processor cannot handle never reaches here (it goes to the dead-letter
 * topic). What does reach here is either {@link FatalServiceException} (bad config, missing model:
 * stop this service with its message) or a transient fault (index or broker hiccup), for which the
 * stream thread is replaced and resumes from the last commit; idempotent writes make that replay
 * harmless.
 */
public final class StreamsService implements ServiceMain.Running {
  private static final Logger log = LoggerFactory.getLogger(StreamsService.class);

  private final String name;
  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private StreamsService(String name, KafkaStreams streams, KafkaStreamsMetrics metrics) {
    this.name = name;
    this.streams = streams;
    this.metrics = metrics;
  }

  /** Starts {@code topology}; returns once the client is starting (not yet running). */
  public static StreamsService start(
      String name, Topology topology, StreamsSettings settings, MeterRegistry registry) {
    KafkaStreams streams = new KafkaStreams(topology, settings.toStreamsProperties());
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    StreamsService service = new StreamsService(name, streams, metrics);
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
    Throwable root = rootCause(error);
    if (root instanceof FatalServiceException) {
      log.error("{}: stopping: {}", name, root.getMessage(), root);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    log.warn("{}: stream thread failed ({}), replacing it; it resumes from the last commit", name, root.toString(), error);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable current = t;
    while (current.getCause() != null && current.getCause() != current) {
      if (current instanceof FatalServiceException) {
        return current;
      }
      current = current.getCause();
    }
    return current;
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
    streams.close(Duration.ofSeconds(30));
    metrics.close();
    stopped.countDown();
  }
}
