package dev.sluice.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttemptCounterTest {
  private static final String DOWN = "dev.sluice.index.IndexUnavailableException";

  @Test
  void countsFailuresOfOneRecordWithOneExceptionClass() {
    AttemptCounter counter = new AttemptCounter();

    assertThat(counter.attempts("vectors", 3, 42, DOWN)).isZero();
    assertThat(counter.failed("vectors", 3, 42, DOWN)).isEqualTo(1);
    assertThat(counter.failed("vectors", 3, 42, DOWN)).isEqualTo(2);
    assertThat(counter.failed("vectors", 3, 42, DOWN)).isEqualTo(3);
    assertThat(counter.attempts("vectors", 3, 42, DOWN)).isEqualTo(3);
  }

  @Test
  void anotherOffsetPartitionTopicOrExceptionClassIsCountedApart() {
    AttemptCounter counter = new AttemptCounter();
    counter.failed("vectors", 3, 42, DOWN);
    counter.failed("vectors", 3, 42, DOWN);

    assertThat(counter.failed("vectors", 3, 43, DOWN)).isEqualTo(1);
    assertThat(counter.failed("vectors", 4, 42, DOWN)).isEqualTo(1);
    assertThat(counter.failed("chunks", 3, 42, DOWN)).isEqualTo(1);
    assertThat(counter.failed("vectors", 3, 42, IllegalStateException.class.getName())).isEqualTo(1);
    assertThat(counter.attempts("vectors", 3, 42, DOWN)).isEqualTo(2);
  }

  @Test
  void forgetsTheLeastRecentlyTouchedRecordsBeyondItsCapacity() {
    AttemptCounter counter = new AttemptCounter(2);
    counter.failed("vectors", 0, 1, DOWN);
    counter.failed("vectors", 0, 2, DOWN);
    counter.failed("vectors", 0, 1, DOWN);
    counter.failed("vectors", 0, 3, DOWN);

    assertThat(counter.attempts("vectors", 0, 1, DOWN)).as("touched last but one: kept").isEqualTo(2);
    assertThat(counter.attempts("vectors", 0, 2, DOWN)).as("least recently touched: dropped").isZero();
    assertThat(counter.attempts("vectors", 0, 3, DOWN)).isEqualTo(1);
  }

  @Test
  void countsEveryFailureOfConcurrentThreads() throws Exception {
    AttemptCounter counter = new AttemptCounter();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            counter.failed("vectors", 0, 7, DOWN);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(counter.attempts("vectors", 0, 7, DOWN)).isEqualTo(4000);
  }

  @Test
  void refusesAnEmptyCapacity() {
    assertThatThrownBy(() -> new AttemptCounter(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
