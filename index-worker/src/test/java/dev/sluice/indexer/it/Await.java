package dev.sluice.indexer.it;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition until it holds, failing with what it last saw. */
final class Await {
  private Await() {}

  static <T> T until(Duration timeout, String what, Supplier<T> probe, java.util.function.Predicate<T> done) {
    Instant deadline = Instant.now().plus(timeout);
    T seen = probe.get();
    while (!done.test(seen)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " not reached within " + timeout + "; last seen: " + seen);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      seen = probe.get();
    }
    return seen;
  }
}
