package dev.sluice.query;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The knobs every fuzz test shares, so that a run is reproducible and can be made longer:
 * {@code -Dsluice.fuzz.tries=N} (inputs per target; each test has a default small enough for CI) and
 * {@code -Dsluice.fuzz.seed=S} (the seed of every generator; the default is fixed, so two runs send
 * the same inputs). Each target prints one summary line, {@code FUZZ <target> seed=.. inputs=..
 * 5xx=.. crashes=.. stuck=.. ...}, which is what the README's figures are copied from.
 */
final class Fuzz {
  static final long DEFAULT_SEED = 20_251_111L;

  private Fuzz() {}

  static int tries(int defaultTries) {
    return Integer.getInteger("sluice.fuzz.tries", defaultTries);
  }

  static long seed() {
    return Long.getLong("sluice.fuzz.seed", DEFAULT_SEED);
  }

  /** A generator for one target: the seed mixed with the target's name, so targets do not share a sequence. */
  static SplittableRandom random(String target) {
    return new SplittableRandom(seed() ^ target.hashCode());
  }

  /** Counts by outcome, printed in a stable order. */
  static final class Tally {
    private final Map<String, Long> counts = new TreeMap<>();

    void add(String outcome) {
      counts.merge(outcome, 1L, Long::sum);
    }

    long get(String outcome) {
      return counts.getOrDefault(outcome, 0L);
    }

    @Override
    public String toString() {
      return counts.toString();
    }
  }

  static void summary(String target, long inputs, long fiveXx, long crashes, long stuck, Object details) {
    System.out.printf("FUZZ %s seed=%d inputs=%d 5xx=%d crashes=%d stuck=%d %s%n", target, seed(), inputs, fiveXx, crashes,
        stuck, details);
  }
}
