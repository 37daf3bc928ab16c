package dev.sluice.indexer;

import dev.sluice.index.IndexUnavailableException;
import dev.sluice.runtime.FatalServiceException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs index calls so that a transient failure never drops data and never dead-letters it: a failed
 * call is retried with exponential backoff and jitter; calls that keep failing open a circuit
 * breaker, and while it is open the calling stream thread waits (which pauses consumption of its
 * partitions: nothing is polled, nothing committed) until a trial call succeeds. It resumes by
 * itself. One instance per worker, shared by its stream threads; thread-safe.
 *
 * <p>Permanent failures ({@link IllegalArgumentException}, including {@code
 * PointRejectedException}, and {@link UnsupportedOperationException}) pass straight through, for the
 * caller to dead-letter. A closed index is fatal ({@link FatalServiceException}): no wait can cure it.
 *
 * <p>A pause longer than the consumer's {@code max.poll.interval.ms} (5 min by default) makes the
 * group rebalance; the task then resumes from its last commit, which idempotent writes make harmless.
 */
final class ResilientCalls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResilientCalls.class);

  // While the breaker is open, the paused thread checks this often whether it may try again.
  private static final Duration MAX_POLL_WHILE_OPEN = Duration.ofSeconds(1);

  private final Retry retry;
  private final CircuitBreaker breaker;
  private final Counter retries;
  private final Counter pauses;
  private final AtomicInteger paused = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Duration pollWhileOpen;

  ResilientCalls(IndexConfig.Resilience policy, MeterRegistry meters) {
    this.retry = Retry.of("index", RetryConfig.custom()
        .maxAttempts(policy.attempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialBackoff(), 2.0, 0.5, policy.maxBackoff()))
        .retryOnException(ResilientCalls::isTransient)
        .build());
    this.breaker = CircuitBreaker.of("index", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(10)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(policy.failureRate())
        .waitDurationInOpenState(policy.openDuration())
        .permittedNumberOfCallsInHalfOpenState(1)
        .recordException(ResilientCalls::isTransient)
        .build());
    this.pollWhileOpen = policy.openDuration().compareTo(MAX_POLL_WHILE_OPEN) < 0 ? policy.openDuration() : MAX_POLL_WHILE_OPEN;
    this.retries = Counter.builder("sluice.index.retries").description("Index calls retried after a transient failure")
        .register(meters);
    this.pauses = Counter.builder("sluice.index.pauses").description("Times consumption paused on an open circuit breaker")
        .register(meters);
    Gauge.builder("sluice.index.paused", paused, AtomicInteger::get)
        .description("Stream threads currently paused by the index circuit breaker").register(meters);
    retry.getEventPublisher().onRetry(event -> {
      retries.increment();
      log.warn("index call failed ({}), retry {} in {} ms", event.getLastThrowable().toString(),
          event.getNumberOfRetryAttempts(), event.getWaitInterval().toMillis());
    });
    breaker.getEventPublisher().onStateTransition(event ->
        log.warn("index circuit breaker {}", event.getStateTransition()));
  }

  /** Runs {@code call}, waiting out transient failures for as long as they last. */
  <T> T call(Supplier<T> call) {
    Supplier<T> guarded = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call));
    boolean pausing = false;
    try {
      while (true) {
        try {
          return guarded.get();
        } catch (AlreadyClosedException e) {
          throw new FatalServiceException("the index is closed (" + e.getMessage() + "); restart the service", e);
        } catch (RuntimeException e) {
          if (!isTransient(e) && !(e instanceof CallNotPermittedException)) {
            throw e;
          }
          if (!pausing) {
            pausing = true;
            paused.incrementAndGet();
            pauses.increment();
            log.warn("index unavailable ({}); pausing consumption until it answers again", e.toString());
          }
          waitBeforeTrying();
        }
      }
    } finally {
      if (pausing) {
        paused.decrementAndGet();
        log.info("index answers again; consumption resumes");
      }
    }
  }

  void run(Runnable call) {
    call(() -> {
      call.run();
      return null;
    });
  }

  CircuitBreaker.State state() {
    return breaker.getState();
  }

  /** Stops waiting: a paused call fails at once, so a closing service does not hang. */
  @Override
  public void close() {
    closed.set(true);
  }

  private void waitBeforeTrying() {
    if (closed.get()) {
      // Infrastructure, not a bad record: the record must replay on the next start, never be skipped.
      throw new IndexUnavailableException("the index worker is closing while the index is unavailable", null);
    }
    try {
      Thread.sleep(pollWhileOpen.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexUnavailableException("interrupted while waiting for the index", e);
    }
  }

  /** Whether waiting may cure {@code failure}: anything but a refused request or a closed index. */
  static boolean isTransient(Throwable failure) {
    return !(failure instanceof IllegalArgumentException
        || failure instanceof UnsupportedOperationException
        || failure instanceof AlreadyClosedException
        || failure instanceof CallNotPermittedException
        || failure instanceof FatalServiceException);
  }
}
