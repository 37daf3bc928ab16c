package dev.sluice.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.chaos.DeadLetterLog.Entry;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeadLetterLogTest {
  private static final Entry EMPTY = new Entry("chaos/docs/empty-1.txt", "ingest", "empty");
  private static final Entry OUTSIDE = new Entry("chaos/outside/private-1.txt", "ingest", "reference-not-allowed");
  private static final Entry RETRIES = new Entry("chaos/docs/doc-00001.txt", "index", "retries-exhausted");

  @Test
  void aKindTheCleanRunNeverHadIsSpurious() {
    DeadLetterLog clean = log(Map.of(EMPTY, 1, OUTSIDE, 1));
    DeadLetterLog run = log(Map.of(EMPTY, 1, OUTSIDE, 1, RETRIES, 2));
    assertThat(run.spurious(clean)).isEqualTo(2);
    assertThat(run.duplicates(clean)).isZero();
    assertThat(run.missing(clean)).isZero();
    assertThat(run.differences(clean)).containsExactly("spurious dead letter " + RETRIES + " x2");
  }

  @Test
  void anotherCopyOfAKnownDeadLetterIsADuplicateNotSpurious() {
    DeadLetterLog clean = log(Map.of(EMPTY, 1, OUTSIDE, 1));
    DeadLetterLog run = log(Map.of(EMPTY, 3, OUTSIDE, 1));
    assertThat(run.spurious(clean)).isZero();
    assertThat(run.duplicates(clean)).isEqualTo(2);
    assertThat(run.differences(clean)).containsExactly("dead letter " + EMPTY + " written 3 times, clean run 1");
  }

  @Test
  void aKindOfTheCleanRunThatIsAbsentIsMissing() {
    DeadLetterLog clean = log(Map.of(EMPTY, 1, OUTSIDE, 1));
    DeadLetterLog run = log(Map.of(EMPTY, 1));
    assertThat(run.missing(clean)).isEqualTo(1);
    assertThat(run.spurious(clean) + run.duplicates(clean)).isZero();
    assertThat(run.differences(clean)).containsExactly("missing dead letter " + OUTSIDE);
  }

  private static DeadLetterLog log(Map<Entry, Integer> entries) {
    return new DeadLetterLog(new TreeMap<>(entries));
  }
}
