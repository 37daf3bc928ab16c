package dev.sluice.cli.chaos;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice chaos}: the four services as separate processes on an embedded broker, faults
 * injected mid-ingest, and every faulty run's index, dead letters and query answers compared with a
 * clean run of the same workload. Exits 0 when everything matched, 1 otherwise.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {
        "Chaos suite: runs ingest, embed, index and query as separate JVMs on an embedded broker, replays a generated ingest "
            + "(documents, edits, deletes, re-publishes) with faults injected mid-ingest, and checks that after the restart and "
            + "drain the index equals a clean run's (point ids, versions, deleted flags, document states), the dead-letter topic "
            + "holds nothing extra, and the query service answers as the index says.",
        "Scenarios: kill (kill -9 of a service, rotating over the four, then a restart), broker-restart (broker stopped and "
            + "started again on the same log dir and port), index-readonly (index directory unwritable, then writable again).",
        "Exit code 0 when every trial matched the clean run, 1 otherwise."})
public final class ChaosCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--trials", paramLabel = "N|SCENARIO=N[,SCENARIO=N...]",
      description = "Trials of each chosen scenario, or per scenario, e.g. kill=8,broker-restart=3 (then only those run). "
          + "Default: 2 kill trials, 1 broker-restart, 1 index-readonly (the CI size). Each trial replays the whole workload.")
  String trials;

  @Option(names = "--docs", paramLabel = "N", defaultValue = "100",
      description = "Documents in the generated workload, which also edits, deletes and re-publishes some of them (default: ${DEFAULT-VALUE}).")
  int docs;

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of the workload and of every fault's target and moment (default: random, printed so a run can be repeated).")
  Long seed;

  @Option(names = "--scenario", paramLabel = "kill|broker-restart|index-readonly|all", defaultValue = "all",
      description = "Which faults to inject (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(names = "--kills-per-trial", paramLabel = "K", defaultValue = "1",
      description = "Services killed one after another in each kill trial (default: ${DEFAULT-VALUE}).")
  int killsPerTrial;

  @Option(names = "--readonly-seconds", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long the index directory stays unwritable in the index-readonly scenario (default: ${DEFAULT-VALUE}).")
  int readOnlySeconds;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
      description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long a run may take to drain after its last fault before the trial fails (default: ${DEFAULT-VALUE}).")
  int drainTimeoutSeconds;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where the runs' brokers, service state, corpora and indexes go (default: a new temporary directory). "
          + "Directories of failed runs are kept for inspection.")
  Path workDir;

  @Option(names = "--keep", description = "Keep the directories of passing runs too.")
  boolean keep;

  @Option(names = "--json", description = "Print the full report as JSON on stdout (progress goes to stderr).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Map<Scenario, Integer> perScenario;
    try {
      perScenario = trialsPerScenario();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    require(docs >= 10, "--docs must be at least 10");
    require(killsPerTrial >= 1, "--kills-per-trial must be at least 1");
    require(readOnlySeconds >= 1, "--readonly-seconds must be at least 1");
    require(partitions >= 1, "--partitions must be at least 1");
    // A run directory left by an earlier suite would start its broker on old records.
    require(workDir == null || !Files.exists(workDir) || isEmpty(workDir), "--work-dir must be empty or absent: " + workDir);
    long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    Path dir = workDir != null ? workDir : Files.createTempDirectory("sluice-chaos-");
    ChaosSettings settings = new ChaosSettings(dir.toAbsolutePath().normalize(), keep, chosenSeed, docs, partitions, perScenario,
        killsPerTrial, Duration.ofSeconds(readOnlySeconds), Duration.ofSeconds(drainTimeoutSeconds));

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = json ? spec.commandLine().getErr() : out;
    ChaosReport report = new ChaosSuite(settings, progress).run();
    if (json) {
      out.println(report.toJson());
      out.flush();
    }
    if (workDir == null && report.passed() && !keep) {
      deleteIfEmpty(dir);
    }
    return report.passed() ? 0 : 1;
  }

  /** From {@code --trials} and {@code --scenario}: how many trials of which scenario. */
  private Map<Scenario, Integer> trialsPerScenario() {
    Map<Scenario, Integer> perScenario = new EnumMap<>(Scenario.class);
    if (trials != null && trials.contains("=")) {
      for (String entry : trials.split(",")) {
        String[] parts = entry.split("=", 2);
        var named = Scenario.parse(parts[0].strip());
        if (named.size() != 1) {
          throw new IllegalArgumentException("--trials names one scenario per count, e.g. kill=8,broker-restart=3");
        }
        perScenario.put(named.getFirst(), count(parts[1]));
      }
      return perScenario;
    }
    for (Scenario s : Scenario.parse(scenario)) {
      perScenario.put(s, trials != null ? count(trials) : s.defaultTrials());
    }
    return perScenario;
  }

  private static int count(String text) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the option's name.
    }
    throw new IllegalArgumentException("--trials needs a count of 0 or more, or SCENARIO=N pairs; got '" + text + "'");
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  // Only the probe directory and the harness log are left after a passing run without --keep.
  private static void deleteIfEmpty(Path dir) throws java.io.IOException {
    Files.deleteIfExists(dir.resolve("probe"));
    Files.deleteIfExists(dir.resolve("harness.log"));
    if (isEmpty(dir)) {
      Files.delete(dir);
    }
  }
}
