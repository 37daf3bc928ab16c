package dev.sluice.cli.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sluice.cli.chaos.FaultInjector.FaultRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one chaos suite: the clean baseline, every trial, and the totals the acceptance
 * criteria name (trials, kills per service, mismatches, lost, duplicated, spurious dead letters).
 *
 * @param indexFault how the index-readonly scenario makes the index unwritable on this machine
 * @param passed true when the baseline holds what the workload implies and every trial passed
 */
record ChaosReport(long seed, int documents, String workload, String indexFault, Baseline clean, List<Trial> trials, Totals totals,
    boolean passed, double seconds, String workDir) {

  /**
   * The clean run every trial is compared with.
   *
   * @param deviations where it differs from what the workload implies (must be none)
   */
  record Baseline(boolean drained, double drainedAtSeconds, long points, long visiblePoints, int deadLetters,
      Map<String, Double> busyUntilSeconds, List<String> deviations, List<String> problems, double runSeconds) {
    boolean passed() {
      return drained && deviations.isEmpty() && problems.isEmpty();
    }
  }

  /**
   * One trial.
   *
   * @param recoverySeconds from the end of the last fault until the pipeline had drained
   * @param mismatches documents whose index state differs from the clean run's
   * @param lost points of the clean index missing here
   * @param duplicated points here beyond the clean index (extra ids and extra copies of one id)
   * @param spuriousDeadLetters dead letters of a kind (key, stage, reason) the clean run does not have
   * @param duplicateDeadLetters extra copies of dead letters the clean run has too: allowed, as
   *     docs/failure-handling.md says (they are written outside the task's transaction)
   * @param missingDeadLetters kinds of dead letter of the clean run missing here
   * @param queryMismatches documents whose status the query service answered differently from the index
   * @param unexpectedExits services that ended although nobody stopped them (then started again, as
   *     the deployment's supervisor would: reported, not a failure by itself)
   * @param orphans child processes that outlived a killed service
   */
  record Trial(int number, String scenario, List<FaultRecord> faults, boolean drained, double drainedAtSeconds,
      double recoverySeconds, int mismatches, long lost, long duplicated, int spuriousDeadLetters, int duplicateDeadLetters,
      int missingDeadLetters, int queryMismatches, boolean searchAnswered, List<String> unexpectedExits, int orphans, List<String> examples,
      List<String> problems, double runSeconds, String keptDir, boolean passed) {}

  /** Sums over every trial. */
  record Totals(int trials, Map<String, Integer> trialsByScenario, Map<String, Integer> killsByService, int mismatches, long lost,
      long duplicated, int spuriousDeadLetters, int duplicateDeadLetters, int missingDeadLetters, int queryMismatches,
      int unexpectedExits, int orphans, int failedTrials) {

    static Totals of(List<Trial> trials) {
      Map<String, Integer> byScenario = new LinkedHashMap<>();
      for (Scenario scenario : Scenario.values()) {
        byScenario.put(scenario.label(), 0);
      }
      Map<String, Integer> kills = new LinkedHashMap<>();
      for (Service service : Service.values()) {
        kills.put(service.label(), 0);
      }
      for (Trial trial : trials) {
        byScenario.merge(trial.scenario(), 1, Integer::sum);
        trial.faults().stream().filter(f -> f.kind().equals("kill")).forEach(f -> kills.merge(f.target(), 1, Integer::sum));
      }
      return new Totals(trials.size(), byScenario, kills,
          trials.stream().mapToInt(Trial::mismatches).sum(), trials.stream().mapToLong(Trial::lost).sum(),
          trials.stream().mapToLong(Trial::duplicated).sum(), trials.stream().mapToInt(Trial::spuriousDeadLetters).sum(),
          trials.stream().mapToInt(Trial::duplicateDeadLetters).sum(), trials.stream().mapToInt(Trial::missingDeadLetters).sum(), trials.stream().mapToInt(Trial::queryMismatches).sum(),
          trials.stream().mapToInt(t -> t.unexpectedExits().size()).sum(), trials.stream().mapToInt(Trial::orphans).sum(),
          (int) trials.stream().filter(t -> !t.passed()).count());
    }
  }

  /** The one line that answers "did it hold": trials, kills per service, and every count that must be zero. */
  String summary() {
    StringBuilder kills = new StringBuilder();
    totals.killsByService().forEach((service, count) -> kills.append(kills.isEmpty() ? "" : ", ").append(service).append(' ').append(count));
    return String.format(Locale.ROOT,
        "chaos %s: %d trials (kill %d [%s], broker-restart %d, index-readonly %d), %d documents, seed %d: mismatches %d, lost %d, "
            + "duplicated %d, spurious dlq %d, missing dlq %d, query mismatches %d, orphans %d, failed trials %d; "
            + "services that exited and were restarted %d, duplicate dead letters %d; in %s",
        passed ? "PASSED" : "FAILED", totals.trials(), totals.trialsByScenario().get(Scenario.KILL.label()), kills,
        totals.trialsByScenario().get(Scenario.BROKER_RESTART.label()), totals.trialsByScenario().get(Scenario.INDEX_READONLY.label()),
        documents, seed, totals.mismatches(), totals.lost(), totals.duplicated(), totals.spuriousDeadLetters(),
        totals.missingDeadLetters(), totals.queryMismatches(), totals.orphans(), totals.failedTrials(), totals.unexpectedExits(),
        totals.duplicateDeadLetters(), duration(seconds));
  }

  String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the chaos report as JSON", e);
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
