package dev.sluice.cli.chaos;

import dev.sluice.cli.chaos.FaultPlan.BrokerRestart;
import dev.sluice.cli.chaos.FaultPlan.IndexReadOnly;
import dev.sluice.cli.chaos.FaultPlan.Kill;
import dev.sluice.cli.chaos.FaultPlan.Kills;
import dev.sluice.cli.chaos.FaultPlan.None;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Carries out one {@link FaultPlan} against a running pipeline as time passes: the run's monitor
 * calls {@link #tick} a few times a second. A kill blocks the monitor for the victim's restart delay
 * and a broker restart for the restart (no service is supervised meanwhile, which neither needs).
 * Not thread-safe.
 */
final class FaultInjector implements AutoCloseable {

  /**
   * One fault as it happened.
   *
   * @param kind {@code kill}, {@code broker-restart} or {@code index-readonly}
   * @param target the service killed, {@code broker}, or how the index was made unwritable
   * @param atSeconds when it struck, from the start of publishing
   * @param pending each stage's consumer lag just before it struck (empty if unknown)
   * @param outageSeconds how long the target was out: from the kill until the service was ready
   *     again, broker down until it served again, or how long the index was unwritable; -1 if it
   *     never came back
   * @param note anything else worth knowing (e.g. child processes that outlived a killed service)
   */
  record FaultRecord(String kind, String target, double atSeconds, String pending, double outageSeconds, String note) {
    String describe() {
      String what = switch (kind) {
        case "kill" -> target + " killed";
        case "broker-restart" -> "broker restarted";
        default -> target;
      };
      String outage = outageSeconds < 0 ? "never came back"
          : kind.equals("kill") ? String.format(Locale.ROOT, "ready again %.1f s later", outageSeconds)
          : String.format(Locale.ROOT, "out %.1f s", outageSeconds);
      return String.format(Locale.ROOT, "%s at %.1f s (pending: %s), %s%s", what, atSeconds, pending.isEmpty() ? "unknown" : pending,
          outage, note.isEmpty() ? "" : "; " + note);
    }
  }

  private static final class Struck {
    final String kind;
    final String target;
    final double at;
    final String pending;
    final String note;
    final Service victim;
    final int orphans;
    double outage = -1;

    Struck(String kind, String target, double at, String pending, String note, Service victim, int orphans) {
      this.kind = kind;
      this.target = target;
      this.at = at;
      this.pending = pending;
      this.note = note;
      this.victim = victim;
      this.orphans = orphans;
    }
  }

  private final FaultPlan plan;
  private final ServiceProcesses services;
  private final Broker broker;
  private final Path indexDir;
  private final IndexDirFault indexFault;
  private final List<Struck> struck = new ArrayList<>();
  private int nextKill;
  private IndexDirFault.Active readOnly;
  private boolean finished;

  FaultInjector(FaultPlan plan, ServiceProcesses services, Broker broker, Path indexDir, IndexDirFault indexFault) {
    this.plan = plan;
    this.services = services;
    this.broker = broker;
    this.indexDir = indexDir;
    this.indexFault = indexFault;
    this.finished = plan instanceof None;
  }

  /**
   * Does what is due at {@code elapsed}.
   *
   * @param published whether every workload event has been acknowledged (the broker is restarted only
   *     after that, so no event is lost in the publisher: that would be this harness's fault)
   * @param reading the latest look at the pipeline, for the record of what was pending
   */
  void tick(Duration elapsed, boolean published, Optional<PipelineProbe.Reading> reading) throws InterruptedException {
    double now = seconds(elapsed);
    String pending = reading.map(PipelineProbe.Reading::describeLag).orElse("");
    for (Struck s : struck) {
      if (s.victim != null && s.outage < 0 && services.isReady(s.victim)) {
        s.outage = now - s.at;
      }
    }
    switch (plan) {
      case None none -> finished = true;
      case Kills kills -> {
        while (nextKill < kills.kills().size() && elapsed.compareTo(kills.kills().get(nextKill).at()) >= 0) {
          kill(kills.kills().get(nextKill++), now, pending);
        }
        finished = nextKill == kills.kills().size();
      }
      case BrokerRestart restart -> {
        if (!finished && published && elapsed.compareTo(restart.at()) >= 0) {
          Duration out = broker.restart(restart.downtime());
          struck.add(new Struck("broker-restart", "broker", now, pending,
              String.format(Locale.ROOT, "down %.1f s before the restart began", seconds(restart.downtime())), null, 0));
          struck.getLast().outage = seconds(out);
          finished = true;
        }
      }
      case IndexReadOnly fault -> {
        if (readOnly == null && !finished && elapsed.compareTo(fault.at()) >= 0) {
          readOnly = indexFault.apply(indexDir, services.pid(Service.INDEX));
          struck.add(new Struck("index-readonly", indexFault.method().description(), now, pending, "", null, 0));
        } else if (readOnly != null && elapsed.compareTo(fault.at().plus(fault.length())) >= 0) {
          readOnly.close();
          readOnly = null;
          struck.getLast().outage = now - struck.getLast().at;
          finished = true;
        }
      }
    }
  }

  private void kill(Kill kill, double now, String pending) throws InterruptedException {
    ServiceProcesses.Killed killed = services.kill(kill.victim());
    Thread.sleep(kill.restartDelay().toMillis());
    services.start(kill.victim());
    String note = String.format(Locale.ROOT, "pid %d, restarted after %.1f s", killed.pid(), seconds(kill.restartDelay()))
        + (killed.orphans().isEmpty() ? "" : "; child processes outlived it and were killed: " + killed.orphans());
    struck.add(new Struck("kill", kill.victim().label(), now, pending, note, kill.victim(), killed.orphans().size()));
  }

  /** Whether every fault has struck and, for a fault with a duration, been lifted. */
  boolean finished() {
    return finished;
  }

  /** Child processes that outlived a killed service: a defect, counted in the report. */
  int orphans() {
    return struck.stream().mapToInt(s -> s.orphans).sum();
  }

  List<FaultRecord> records() {
    return struck.stream().map(s -> new FaultRecord(s.kind, s.target, round(s.at), s.pending, s.outage < 0 ? -1 : round(s.outage), s.note))
        .toList();
  }

  /** Lifts a fault still in force (a run that ended before the fault was due to end). Idempotent. */
  void lift() {
    if (readOnly != null) {
      readOnly.close();
      readOnly = null;
    }
  }

  @Override
  public void close() {
    lift();
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }
}
