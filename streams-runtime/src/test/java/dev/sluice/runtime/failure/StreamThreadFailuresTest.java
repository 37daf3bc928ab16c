package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.runtime.FatalServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {
  private static final FailureSettings SETTINGS =
      new FailureSettings(5, Duration.ofSeconds(1), Duration.ofSeconds(10), 3, Duration.ofSeconds(10), List.of());

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();
  private final List<Duration> pauses = new ArrayList<>();
  private final StreamThreadFailures failures =
      new StreamThreadFailures("test", SETTINGS, FailureClassifier.standard(), clock, pauses::add);

  private static StreamsException infrastructure() {
    return new StreamsException("task failed", new TimeoutException("broker did not answer"));
  }

  private static StreamsException unexplained() {
    return new StreamsException("commit hook failed", new IllegalStateException("bug"));
  }

  @Test
  void fatalErrorStopsTheServiceAtOnce() {
    assertThat(failures.onUncaught(new StreamsException("x", new FatalServiceException("index holds another model"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(failures.onUncaught(new OutOfMemoryError())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(pauses).isEmpty();
  }

  @Test
  void infrastructureFailureReplacesTheThreadAfterADoublingBoundedBackoffForAsLongAsItLasts() {
    for (int i = 0; i < 8; i++) {
      assertThat(failures.onUncaught(infrastructure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(pauses).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 10L, 10L, 10L, 10L);
  }

  @Test
  void otherFailuresReplaceTheThreadUntilTheyHappenTooOftenInARow() {
    assertThat(failures.onUncaught(unexplained())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    clock.advance(Duration.ofSeconds(3));
    assertThat(failures.onUncaught(infrastructure())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    clock.advance(Duration.ofSeconds(3));
    assertThat(failures.onUncaught(unexplained())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    clock.advance(Duration.ofSeconds(3));
    assertThat(failures.onUncaught(unexplained())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(pauses).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L);
  }

  @Test
  void aQuietPeriodStartsANewSeries() {
    failures.onUncaught(unexplained());
    clock.advance(Duration.ofSeconds(3));
    failures.onUncaught(unexplained());
    clock.advance(Duration.ofMinutes(2));

    assertThat(failures.onUncaught(unexplained())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(pauses).extracting(Duration::toSeconds).containsExactly(1L, 2L, 1L);
  }

  @Test
  void failuresWhileClosingNeitherWaitNorCount() {
    failures.close();

    assertThat(failures.onUncaught(unexplained())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(pauses).isEmpty();
  }

  @Test
  void closingEndsABackoffInProgress() throws Exception {
    FailureSettings slow = new FailureSettings(5, Duration.ofMinutes(5), Duration.ofMinutes(5), 3, Duration.ofSeconds(10), List.of());
    StreamThreadFailures real = new StreamThreadFailures("test", slow, FailureClassifier.standard());
    CompletableFuture<StreamThreadExceptionResponse> response = CompletableFuture.supplyAsync(() -> real.onUncaught(infrastructure()));
    Thread.sleep(100);
    real.close();

    assertThat(response.get(10, TimeUnit.SECONDS)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }
}
