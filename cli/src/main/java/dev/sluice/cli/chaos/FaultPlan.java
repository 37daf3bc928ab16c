package dev.sluice.cli.chaos;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/** The faults of one run, each with when it strikes, counted from the start of publishing. */
sealed interface FaultPlan {
  /** The clean run: no fault. */
  record None() implements FaultPlan {}

  /** {@code kill -9} of one service per entry; each is started again after its own delay. */
  record Kills(List<Kill> kills) implements FaultPlan {
    public Kills {
      kills = kills.stream().sorted(Comparator.comparing(Kill::at)).toList();
    }
  }

  /** One {@code kill -9}. */
  record Kill(Service victim, Duration at, Duration restartDelay) {}

  /** A controlled stop of the broker, {@code downtime} down, and a start on the same log dir and port. */
  record BrokerRestart(Duration at, Duration downtime) implements FaultPlan {}

  /** The index directory made unwritable (see {@link IndexDirFault}) at {@code at}, for {@code length}. */
  record IndexReadOnly(Duration at, Duration length) implements FaultPlan {}
}
