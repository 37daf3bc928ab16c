package dev.sluice.cli.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How one chaos suite runs.
 *
 * @param workDir where every run's broker, services' state, corpus and index live
 * @param keep keep the directories of passing runs too (failing ones are always kept)
 * @param seed decides the workload and every fault's target and moment
 * @param documents documents in the workload
 * @param partitions partitions per topic
 * @param trials trials per scenario, in the order they run
 * @param killsPerTrial kills in one kill trial
 * @param readOnlyFor how long the index directory stays unwritable
 * @param drainTimeout how long after its last fault a run may take to drain before it fails
 */
record ChaosSettings(Path workDir, boolean keep, long seed, int documents, int partitions, Map<Scenario, Integer> trials,
    int killsPerTrial, Duration readOnlyFor, Duration drainTimeout) {

  ChaosSettings {
    trials = Map.copyOf(trials);
  }

  int totalTrials() {
    return trials.values().stream().mapToInt(Integer::intValue).sum();
  }
}
