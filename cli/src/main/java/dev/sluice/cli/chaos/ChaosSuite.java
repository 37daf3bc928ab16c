package dev.sluice.cli.chaos;

import dev.sluice.cli.chaos.ChaosReport.Baseline;
import dev.sluice.cli.chaos.ChaosReport.Trial;
import dev.sluice.cli.chaos.FaultInjector.FaultRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Runs the chaos suite: one clean run of the workload, then every trial (the same workload with
 * faults), each compared with the clean run: the index (point ids, versions, deleted and staged
 * flags, document status), the dead letters, and the query service's answers. Prints a line per
 * run as it goes.
 *
 * <p>Fault moments are drawn from the clean run's timeline: a service is killed at a random moment
 * while its stage still had work in the clean run, so that kills land mid-ingest rather than after
 * it; the broker restart and the index fault strike during the first part of the ingest.
 */
final class ChaosSuite {
  private final ChaosSettings settings;
  private final PrintWriter progress;

  ChaosSuite(ChaosSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
  }

  ChaosReport run() throws IOException, InterruptedException {
    long begin = System.nanoTime();
    Files.createDirectories(settings.workDir());
    HarnessLogs.redirectTo(settings.workDir().resolve("harness.log"));
    ChaosWorkload workload = ChaosWorkload.generate(settings.seed(), settings.documents());
    IndexDirFault indexFault = IndexDirFault.detect(settings.workDir().resolve("probe"));
    ChaosRun.Options options = new ChaosRun.Options(settings.partitions(), settings.drainTimeout(), indexFault);
    say("chaos: seed %d; workload: %s", settings.seed(), workload.summary().describe());
    say("chaos: index fault on this machine: %s; work dir %s", indexFault.method().description(), settings.workDir());

    Path cleanDir = settings.workDir().resolve("clean");
    ChaosRun.Result clean = new ChaosRun(cleanDir, workload, new FaultPlan.None(), options).execute();
    Baseline baseline = baseline(clean, workload);
    say("clean run: %s", describe(baseline));
    baseline.deviations().stream().limit(10).forEach(d -> say("  deviation: %s", d));
    baseline.problems().forEach(p -> say("  problem: %s", p));
    if (baseline.passed()) {
      removeUnlessKept(cleanDir);
    }

    List<Trial> trials = new ArrayList<>();
    if (baseline.drained()) {
      Planner planner = new Planner(settings, clean);
      int total = settings.totalTrials();
      for (Scenario scenario : Scenario.values()) {
        for (int i = 0; i < settings.trials().getOrDefault(scenario, 0); i++) {
          int number = trials.size() + 1;
          Path dir = settings.workDir().resolve(String.format(Locale.ROOT, "trial-%03d-%s", number, scenario.label()));
          FaultPlan plan = planner.next(scenario);
          ChaosRun.Result result = new ChaosRun(dir, workload, plan, options).execute();
          Trial trial = trial(number, scenario, result, clean, dir);
          trials.add(trial);
          report(trial, total);
          if (trial.passed()) {
            removeUnlessKept(dir);
          }
        }
      }
    }
    ChaosReport.Totals totals = ChaosReport.Totals.of(trials);
    boolean passed = baseline.passed() && totals.failedTrials() == 0;
    ChaosReport report = new ChaosReport(settings.seed(), settings.documents(), workload.summary().describe(),
        indexFault.method().description(), baseline, trials, totals, passed, (System.nanoTime() - begin) / 1e9, settings.workDir().toString());
    say("%s", report.summary());
    return report;
  }

  private static Baseline baseline(ChaosRun.Result clean, ChaosWorkload workload) {
    List<String> deviations = clean.drained() ? WorkloadCheck.deviations(clean.index(), workload.expectations()) : List.of();
    List<String> problems = new ArrayList<>(clean.problems());
    problems.addAll(clean.unexpectedExits());
    if (clean.drained() && !clean.query().passed()) {
      problems.add("query service: " + clean.query());
    }
    Map<String, Double> busy = new LinkedHashMap<>();
    clean.busyUntilSeconds().forEach((service, at) -> busy.put(service.label(), at));
    return new Baseline(clean.drained(), clean.drainedAtSeconds(), clean.index().storedPoints(), clean.index().visiblePoints(),
        clean.deadLetters().total(), busy, deviations, problems, clean.runSeconds());
  }

  private static String describe(Baseline b) {
    if (!b.drained()) {
      return "did NOT drain; no trial can be compared with it";
    }
    return String.format(Locale.ROOT, "drained %.1f s after publishing (stages busy until %s); %,d points (%,d visible), %d dead letters; "
            + "%s; run %s", b.drainedAtSeconds(), b.busyUntilSeconds(), b.points(), b.visiblePoints(), b.deadLetters(),
        b.deviations().isEmpty() ? "as the workload implies" : b.deviations().size() + " documents NOT as the workload implies",
        ChaosReport.duration(b.runSeconds()));
  }

  private Trial trial(int number, Scenario scenario, ChaosRun.Result result, ChaosRun.Result clean, Path dir) {
    IndexDifferences diff = IndexDifferences.between(clean.index(), result.index());
    DeadLetterLog dlq = result.deadLetters();
    int spurious = dlq.spurious(clean.deadLetters());
    int missing = dlq.missing(clean.deadLetters());
    List<String> examples = new ArrayList<>(diff.examples());
    dlq.differences(clean.deadLetters()).stream().limit(10).forEach(examples::add);
    result.query().examples().forEach(e -> examples.add("query: " + e));
    // A service that exits and is started again is how the deployment recovers from a fatal failure
    // (restart: unless-stopped); it is reported, and the trial fails only if data or answers differ.
    boolean passed = result.drained() && diff.mismatches() == 0 && diff.lost() == 0 && diff.duplicated() == 0 && spurious == 0
        && missing == 0 && result.query().passed() && result.orphans() == 0 && result.problems().isEmpty();
    return new Trial(number, scenario.label(), result.faults(), result.drained(), result.drainedAtSeconds(), result.recoverySeconds(),
        diff.mismatches(), diff.lost(), diff.duplicated(), spurious, dlq.duplicates(clean.deadLetters()), missing,
        result.query().mismatches(), result.query().searchAnswered(),
        result.unexpectedExits(), result.orphans(), examples, result.problems(), result.runSeconds(),
        passed && !settings.keep() ? "" : dir.toString(), passed);
  }

  private void report(Trial t, int total) {
    say("trial %d/%d %s: %s", t.number(), total, t.scenario(), t.passed() ? "ok" : "FAILED");
    for (FaultRecord fault : t.faults()) {
      say("  %s", fault.describe());
    }
    if (t.drained()) {
      say("  drained %.1f s after publishing, %.1f s after the last fault; mismatches %d, lost %d, duplicated %d, spurious dlq %d, "
              + "missing dlq %d, query mismatches %d; run %s", t.drainedAtSeconds(), t.recoverySeconds(), t.mismatches(), t.lost(),
          t.duplicated(), t.spuriousDeadLetters(), t.missingDeadLetters(), t.queryMismatches(), ChaosReport.duration(t.runSeconds()));
    }
    t.unexpectedExits().forEach(e -> say("  exited by itself and restarted: %s", e));
    t.examples().forEach(e -> say("  %s", e));
    t.problems().forEach(p -> say("  %s", p));
    if (!t.keptDir().isEmpty()) {
      say("  kept %s", t.keptDir());
    }
  }

  private void removeUnlessKept(Path dir) throws IOException {
    if (settings.keep() || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void say(String format, Object... args) {
    progress.println(String.format(Locale.ROOT, format, args));
    progress.flush();
  }

  /** Draws each trial's faults from the seed and the clean run's timeline. */
  private static final class Planner {
    private final Random random;
    private final ChaosSettings settings;
    private final ChaosRun.Result clean;
    private final List<Service> victims;
    private int kills;

    Planner(ChaosSettings settings, ChaosRun.Result clean) {
      this.random = new Random(settings.seed() ^ 0x5DEECE66DL);
      this.settings = settings;
      this.clean = clean;
      // Victims rotate through a seeded order, so that every service is killed about as often.
      List<Service> order = new ArrayList<>(Arrays.asList(Service.values()));
      Collections.shuffle(order, random);
      this.victims = List.copyOf(order);
    }

    FaultPlan next(Scenario scenario) {
      double drained = clean.drainedAtSeconds();
      return switch (scenario) {
        case KILL -> {
          List<FaultPlan.Kill> planned = new ArrayList<>();
          for (int k = 0; k < settings.killsPerTrial(); k++) {
            Service victim = victims.get(kills++ % victims.size());
            planned.add(new FaultPlan.Kill(victim, at(busyUntil(victim), 0.05, 0.9), seconds(2 * random.nextDouble())));
          }
          yield new FaultPlan.Kills(planned);
        }
        case BROKER_RESTART -> new FaultPlan.BrokerRestart(at(drained, 0.15, 0.7), seconds(2 + 6 * random.nextDouble()));
        case INDEX_READONLY -> new FaultPlan.IndexReadOnly(at(busyUntil(Service.INDEX), 0.1, 0.6), settings.readOnlyFor());
      };
    }

    /** When a stage last had work in the clean run; the whole run for the query service, which has no lag. */
    private double busyUntil(Service service) {
      return clean.busyUntilSeconds().getOrDefault(service, clean.drainedAtSeconds());
    }

    private Duration at(double window, double from, double to) {
      return seconds(Math.max(0.5, window * (from + (to - from) * random.nextDouble())));
    }

    private static Duration seconds(double seconds) {
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }
}
