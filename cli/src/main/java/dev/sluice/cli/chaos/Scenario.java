package dev.sluice.cli.chaos;

import java.util.Arrays;
import java.util.List;

/**
 * What a trial does to the pipeline mid-ingest.
 *
 * @param label the name on the command line and in reports
 * @param defaultTrials trials when {@code --trials} is not given: small, for CI
 */
enum Scenario {
  /** {@code kill -9} of a service (rotating over ingest, embed, index and query), then a restart. */
  KILL("kill", 2),
  /** The broker stopped and started again on the same log directory and port. */
  BROKER_RESTART("broker-restart", 1),
  /** The index directory made unwritable for a while (see {@link IndexDirFault}). */
  INDEX_READONLY("index-readonly", 1);

  private final String label;
  private final int defaultTrials;

  Scenario(String label, int defaultTrials) {
    this.label = label;
    this.defaultTrials = defaultTrials;
  }

  String label() {
    return label;
  }

  int defaultTrials() {
    return defaultTrials;
  }

  /** The scenarios {@code name} stands for: one of them, or {@code all}. */
  static List<Scenario> parse(String name) {
    if (name.equals("all")) {
      return List.of(values());
    }
    return Arrays.stream(values()).filter(s -> s.label.equals(name)).findFirst().map(List::of)
        .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "': use kill, broker-restart, index-readonly or all"));
  }
}
