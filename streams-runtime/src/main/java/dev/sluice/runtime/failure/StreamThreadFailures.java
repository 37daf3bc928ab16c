package dev.sluice.runtime.failure;

import dev.sluice.runtime.FatalServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The uncaught-exception policy of a Kafka Streams client: what to do with a stream thread that died.
 * Record failures are settled by the exception handlers; what reaches here is a failure they chose
 * to fail on, or one outside record handling (a commit hook, a wiring bug).
 *
 * <ul>
 *   <li>fatal: {@code SHUTDOWN_CLIENT}, logging one line with the reason;
 *   <li>infrastructure: {@code REPLACE_THREAD} after a backoff that doubles with each failure in a
 *       row (from {@code streams.thread.replace.backoff.ms} up to {@code .max.ms}), for as long as it
 *       lasts: an outage pauses the service, and every retry is logged;
 *   <li>anything else: the same, but after {@code streams.thread.max.failures} of them in a row the
 *       service stops, naming the last one, instead of replaying forever.
 * </ul>
 *
 * A failure counts as "in a row" when it comes within twice the longest backoff (at least a minute)
 * of the previous one. The backoff runs on the dying thread, before Kafka Streams starts its
 * replacement; {@link #close} cuts it short. Thread-safe.
 */
public final class StreamThreadFailures implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);
  private static final Duration MIN_QUIET_PERIOD = Duration.ofMinutes(1);

  /** Waits out a backoff; returns early when the service closes. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration delay) throws InterruptedException;
  }

  private final String service;
  private final FailureSettings settings;
  private final FailureClassifier classifier;
  private final Clock clock;
  private final Pause pause;
  private final Duration quietPeriod;
  private final CountDownLatch closed = new CountDownLatch(1);
  private Instant lastFailure;
  private int inRow;
  private int unexplainedInRow;

  public StreamThreadFailures(String service, FailureSettings settings, FailureClassifier classifier) {
    this(service, settings, classifier, Clock.systemUTC(), null);
  }

  StreamThreadFailures(String service, FailureSettings settings, FailureClassifier classifier, Clock clock, Pause pause) {
    this.service = service;
    this.settings = settings;
    this.classifier = classifier;
    this.clock = clock;
    this.pause = pause != null ? pause : delay -> closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    Duration twiceMax = settings.threadBackoffMax().multipliedBy(2);
    this.quietPeriod = twiceMax.compareTo(MIN_QUIET_PERIOD) > 0 ? twiceMax : MIN_QUIET_PERIOD;
  }

  /** The response to a stream thread's death by {@code error}; may wait out a backoff first. */
  public StreamThreadExceptionResponse onUncaught(Throwable error) {
    FailureKind kind = classifier.classify(error);
    Throwable decisive = classifier.decisive(error);
    if (kind == FailureKind.FATAL) {
      log.error("{}: stopping: {}", service,
          decisive instanceof FatalServiceException ? decisive.getMessage() : FailureClassifier.describe(decisive));
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    if (closed.getCount() == 0) {
      log.info("{}: stream thread failed while closing ({})", service, FailureClassifier.describe(decisive));
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    int failures;
    int unexplained;
    synchronized (this) {
      Instant now = clock.instant();
      if (lastFailure == null || Duration.between(lastFailure, now).compareTo(quietPeriod) > 0) {
        inRow = 0;
        unexplainedInRow = 0;
      }
      lastFailure = now;
      failures = ++inRow;
      unexplained = kind == FailureKind.BAD_RECORD ? ++unexplainedInRow : unexplainedInRow;
    }
    if (kind == FailureKind.BAD_RECORD && unexplained >= settings.maxThreadFailures()) {
      log.error("{}: stopping: stream threads failed {} times in a row outside record handling, last with {}", service,
          unexplained, FailureClassifier.describe(decisive));
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    Duration delay = backoff(failures);
    if (kind == FailureKind.INFRASTRUCTURE) {
      log.warn("{}: stream thread stopped on an infrastructure failure ({}); replacing it in {} ms (failure {} in a row)",
          service, FailureClassifier.describe(decisive), delay.toMillis(), failures);
    } else {
      log.warn("{}: stream thread failed ({}); replacing it in {} ms (failure {} of at most {} in a row)", service,
          FailureClassifier.describe(decisive), delay.toMillis(), unexplained, settings.maxThreadFailures());
    }
    if (delay.isPositive()) {
      try {
        pause.pause(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** The wait before replacing a thread after {@code failures} failures in a row. */
  Duration backoff(int failures) {
    Duration max = settings.threadBackoffMax();
    Duration delay = settings.threadBackoff();
    for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** Ends any backoff in progress, so that closing the client does not wait for it. */
  @Override
  public void close() {
    closed.countDown();
  }
}
