package dev.sluice.cli.chaos;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides from successive {@link PipelineProbe} readings when a run has drained: for {@code settle}
 * on end, every service ready, every stage's lag zero and no pipeline topic growing. Also notes when
 * each stage last had work, which the planner uses to aim faults at busy stages. Not thread-safe.
 */
final class DrainWatch {
  private final long start;
  private final Duration settle;
  private final Map<Service, Double> busyUntil = new EnumMap<>(Service.class);
  private Map<String, Long> lastEnds = Map.of();
  private long quietSince;

  /**
   * @param start when publishing began ({@link System#nanoTime}), the origin of every time reported
   * @param settle how long the pipeline must stay quiet to count as drained
   */
  DrainWatch(long start, Duration settle) {
    this.start = start;
    this.settle = settle;
  }

  /** Takes in one reading (empty while the broker does not answer) made at {@code now}. */
  void observe(long now, Optional<PipelineProbe.Reading> reading, boolean allReady) {
    boolean quiet = reading.isPresent() && reading.get().idle() && allReady;
    quietSince = quiet && reading.get().ends().equals(lastEnds) ? (quietSince == 0 ? now : quietSince) : 0;
    lastEnds = reading.map(PipelineProbe.Reading::ends).orElse(Map.of());
    reading.ifPresent(r -> r.lag().forEach((stage, lag) -> {
      if (lag > 0) {
        busyUntil.put(stage, seconds(now - start));
      }
    }));
  }

  /** Whether the pipeline has been quiet for the whole settle time by {@code now}. */
  boolean drained(long now) {
    return quietSince != 0 && now - quietSince >= settle.toNanos();
  }

  /** When the quiet stretch began, from the start of publishing; the drain moment. */
  double drainedAtSeconds() {
    return seconds(quietSince - start);
  }

  /** When the quiet stretch began, counted from {@code from} (e.g. the end of the last fault). */
  double drainedSecondsAfter(long from) {
    return seconds(Math.max(0, quietSince - from));
  }

  /** Per stream service, the last moment its lag was above zero. */
  Map<Service, Double> busyUntilSeconds() {
    return Collections.unmodifiableMap(busyUntil);
  }

  static double seconds(long nanos) {
    return Math.round(nanos / 100_000_000.0) / 10.0;
  }
}
