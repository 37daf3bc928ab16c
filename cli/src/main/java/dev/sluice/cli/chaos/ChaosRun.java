package dev.sluice.cli.chaos;

import dev.sluice.cli.FilePublisher;
import dev.sluice.cli.chaos.FaultInjector.FaultRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One run of the workload through the four services on a fresh broker and data directory, with the
 * faults of one plan (none for the clean run), until the pipeline has drained. Then the query
 * service is checked, every service is stopped, and the dead letters and the index are read.
 *
 * <p>Drained means, for {@value #SETTLE_SECONDS} s on end: every service alive and ready, every
 * stage's consumer lag zero, and no pipeline topic growing (a stage may have committed its input
 * while work still sits in its state, which shows only as output still to come).
 */
final class ChaosRun {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READ_EVERY = Duration.ofMillis(500);
  private static final int SETTLE_SECONDS = 2;
  private static final Duration SETTLE = Duration.ofSeconds(SETTLE_SECONDS);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration RESTART_BACKOFF = Duration.ofSeconds(5);
  private static final String SEARCH_TEXT = "kalomi renvo dortas";

  /**
   * @param partitions partitions per topic
   * @param drainTimeout how long after the last fault the pipeline may take to drain
   * @param indexFault how the index directory is made unwritable
   */
  record Options(int partitions, Duration drainTimeout, IndexDirFault indexFault) {}

  /**
   * What one run ended with.
   *
   * @param drained whether the pipeline drained in time; if not, the rest describes where it stood
   * @param drainedAtSeconds when it drained, from the start of publishing
   * @param recoverySeconds from the end of the last fault until drained (the whole drain for a clean run)
   * @param busyUntilSeconds per stream service, the last moment its consumer lag was above zero
   * @param unexpectedExits services that ended without being told to (then started again)
   * @param orphans child processes that outlived a killed service
   * @param problems what went wrong beyond the index and dead letters, one line each
   */
  record Result(IndexSnapshot index, DeadLetterLog deadLetters, List<FaultRecord> faults, boolean drained, double drainedAtSeconds,
      double recoverySeconds, Map<Service, Double> busyUntilSeconds, QueryCheck.Verdict query, List<String> unexpectedExits,
      int orphans, List<String> problems, double runSeconds) {}

  private final Path runDir;
  private final ChaosWorkload workload;
  private final FaultPlan plan;
  private final Options options;

  ChaosRun(Path runDir, ChaosWorkload workload, FaultPlan plan, Options options) {
    this.runDir = runDir;
    this.workload = workload;
    this.plan = plan;
    this.options = options;
  }

  Result execute() throws IOException, InterruptedException {
    long begin = System.nanoTime();
    Path corpus = runDir.resolve("corpus");
    Path allowed = Files.createDirectories(corpus.resolve(ChaosWorkload.ALLOWED_DIR));
    Path indexDir = runDir.resolve("index");
    String token = "chaos-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    int httpPort = freePort();
    List<String> problems = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    DeadLetterLog deadLetters;
    List<FaultRecord> faults;
    int orphans;
    QueryCheck.Verdict query = QueryCheck.Verdict.NOT_RUN;
    Watched watched;
    try (Broker broker = Broker.start(runDir.resolve("kafka"), options.partitions());
        ServiceProcesses services = new ServiceProcesses(new ServiceProcesses.Settings(runDir, broker.bootstrap(), indexDir, allowed, httpPort, token));
        PipelineProbe probe = new PipelineProbe(broker.bootstrap());
        FaultInjector injector = new FaultInjector(plan, services, broker, indexDir, options.indexFault())) {
      services.startAll();
      awaitReady(services, unexpected);
      long start = System.nanoTime();
      CompletableFuture<Void> published = CompletableFuture.runAsync(() -> publish(broker.bootstrap(), corpus));
      watched = watch(start, services, probe, injector, published, unexpected, problems);
      faults = injector.records();
      orphans = injector.orphans();
      injector.lift();
      if (watched.drained()) {
        query = QueryCheck.run("http://127.0.0.1:" + httpPort, token, indexDir, workload.expectations().keySet(), SEARCH_TEXT);
      }
      for (Service forced : services.stopAll()) {
        problems.add(forced.label() + " did not stop within 30 s of SIGTERM and was killed");
      }
      deadLetters = DeadLetterLog.read(broker.bootstrap());
    }
    IndexSnapshot index = IndexSnapshot.read(indexDir, ChaosWorkload.TENANT, workload.expectations().keySet());
    return new Result(index, deadLetters, faults, watched.drained(), watched.drainedAt(), watched.recovery(), watched.busyUntil(), query,
        unexpected, orphans, problems, DrainWatch.seconds(System.nanoTime() - begin));
  }

  /** How the watch of one run ended; the times are -1 when it did not drain. */
  private record Watched(boolean drained, double drainedAt, double recovery, Map<Service, Double> busyUntil) {}

  /**
   * Runs the pipeline to its drain, a few times a second: restarts services that exited on their
   * own, reads the pipeline's state, lets the injector strike, and stops once the pipeline has drained
   * after the last fault, or has not within the drain timeout.
   */
  private Watched watch(long start, ServiceProcesses services, PipelineProbe probe, FaultInjector injector,
      CompletableFuture<Void> published, List<String> unexpected, List<String> problems) throws IOException, InterruptedException {
    DrainWatch drain = new DrainWatch(start, SETTLE);
    Optional<PipelineProbe.Reading> reading = Optional.empty();
    long lastRead = 0;
    long faultsOver = 0;
    while (true) {
      long now = System.nanoTime();
      for (ServiceProcesses.Exited exit : services.restartExited(RESTART_BACKOFF)) {
        unexpected.add(String.format(Locale.ROOT, "%s (pid %d) exited with code %d at %.1f s; started again", exit.service().label(),
            exit.pid(), exit.exitCode(), DrainWatch.seconds(now - start)));
      }
      if (now - lastRead >= READ_EVERY.toNanos()) {
        lastRead = now;
        reading = probe.read();
        drain.observe(now, reading, services.allReady());
      }
      if (published.isDone()) {
        rethrowIfFailed(published);
      }
      injector.tick(Duration.ofNanos(now - start), published.isDone(), reading);
      if (injector.finished() && published.isDone()) {
        faultsOver = faultsOver == 0 ? now : faultsOver;
        if (drain.drained(now)) {
          return new Watched(true, drain.drainedAtSeconds(), drain.drainedSecondsAfter(faultsOver), drain.busyUntilSeconds());
        }
        if (now - faultsOver > options.drainTimeout().toNanos()) {
          problems.add(String.format(Locale.ROOT, "not drained %d s after the last fault; lag %s", options.drainTimeout().toSeconds(),
              reading.map(PipelineProbe.Reading::describeLag).orElse("unknown (broker not answering)")));
          for (Service service : Service.values()) {
            problems.add(service.label() + (services.isReady(service) ? " (ready)" : " (NOT ready)") + " log tail:\n"
                + services.tail(service, 12).indent(4));
          }
          return new Watched(false, -1, -1, drain.busyUntilSeconds());
        }
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private void publish(String bootstrap, Path corpus) {
    try (FilePublisher publisher = new FilePublisher(bootstrap, ChaosWorkload.TENANT, ChaosWorkload.INLINE_MAX_BYTES)) {
      workload.publish(corpus, publisher);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void rethrowIfFailed(CompletableFuture<Void> published) throws IOException {
    try {
      published.join();
    } catch (CompletionException e) {
      throw new IOException("publishing the workload failed: " + e.getCause(), e.getCause());
    }
  }

  private static void awaitReady(ServiceProcesses services, List<String> unexpected) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!services.allReady()) {
      for (ServiceProcesses.Exited exit : services.restartExited(RESTART_BACKOFF)) {
        unexpected.add(exit.service().label() + " (pid " + exit.pid() + ") exited with code " + exit.exitCode() + " while starting");
      }
      if (System.nanoTime() > deadline) {
        StringBuilder why = new StringBuilder("the services were not ready within " + READY_TIMEOUT.toSeconds() + " s");
        for (Service service : Service.values()) {
          why.append('\n').append(service.label()).append(services.isReady(service) ? " (ready)" : " (NOT ready)").append(":\n")
              .append(services.tail(service, 20).indent(4));
        }
        throw new IllegalStateException(why.toString());
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

}
